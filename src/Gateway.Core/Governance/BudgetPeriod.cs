using System.Globalization;

namespace Gateway.Core.Governance;

/// <summary>
/// A budget's current period on calendar boundaries in UTC: <c>1h</c> (the clock hour), <c>1d</c> (the day), <c>7d</c>
/// (the ISO week, Monday to Monday), <c>30d</c> (30-day blocks counted from 1970-01-01), <c>1mo</c> (the calendar month).
/// No duration means one period for all time. <see cref="Id"/> names the period in meter keys.
/// </summary>
public readonly record struct BudgetPeriod(string Id, DateTimeOffset Start, DateTimeOffset? Reset)
{
    public static readonly IReadOnlyList<string> Durations = ["1h", "1d", "7d", "30d", "1mo"];

    public static bool IsValid(string? duration) => duration is null || Durations.Contains(duration);

    public static BudgetPeriod For(string? duration, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        switch (duration)
        {
            case null:
                return new BudgetPeriod("all", DateTimeOffset.UnixEpoch, null);
            case "1h":
                var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
                return new BudgetPeriod("h" + hour.ToString("yyyy-MM-ddTHH", CultureInfo.InvariantCulture), hour, hour.AddHours(1));
            case "1d":
                var day = new DateTimeOffset(utc.Date, TimeSpan.Zero);
                return new BudgetPeriod("d" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day, day.AddDays(1));
            case "7d":
                var monday = new DateTimeOffset(utc.Date.AddDays(-(((int)utc.DayOfWeek + 6) % 7)), TimeSpan.Zero);
                return new BudgetPeriod("w" + monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), monday, monday.AddDays(7));
            case "30d":
                var block = (long)Math.Floor((utc - DateTimeOffset.UnixEpoch).TotalDays / 30);
                var start = DateTimeOffset.UnixEpoch.AddDays(block * 30);
                return new BudgetPeriod("b30-" + block.ToString(CultureInfo.InvariantCulture), start, start.AddDays(30));
            case "1mo":
                var month = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
                return new BudgetPeriod("m" + month.ToString("yyyy-MM", CultureInfo.InvariantCulture), month, month.AddMonths(1));
            default:
                throw new ArgumentException($"Unknown budget duration '{duration}'.", nameof(duration));
        }
    }

    /// <summary>When a meter for this period may be deleted: a day after the period ends (a year for all-time ones).</summary>
    public DateTimeOffset Expiry => (Reset ?? DateTimeOffset.UtcNow.AddYears(1)).AddDays(1);
}
