using System.Globalization;
using Gateway.Core.Errors;
using Gateway.Core.Rollups;

namespace Gateway.Api.Reports;

/// <summary>The query every report takes: a UTC date range (<c>from</c>/<c>to</c>, inclusive, <c>YYYY-MM-DD</c>), a
/// <c>group_by</c> dimension and a <c>format</c>. Bad values are 400s naming the parameter.</summary>
internal sealed record ReportQuery(DateOnly From, DateOnly To, string GroupBy, string Format)
{
    public const string Json = "json";
    public const string Csv = "csv";
    public const string Focus = "focus";

    /// <summary>A report covers at most about a year, so one request cannot make the store read unbounded days.</summary>
    public const int MaxDays = 366;

    /// <summary>The dimensions a report may group by (the API's names; <c>user</c> is the end user).</summary>
    private static readonly string[] GroupByNames =
        [RollupDimensions.Team, RollupDimensions.Key, RollupDimensions.Model, RollupDimensions.Provider, RollupDimensions.Tag, RollupDimensions.User,
         RollupDimensions.ProviderModel, RollupDimensions.Region, RollupDimensions.Total];

    public static ReportQuery Daily(IQueryCollection q, DateTimeOffset now, params string[] formats)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var to = Date(q, "to") ?? today;
        var from = Date(q, "from") ?? to.AddDays(-6);
        return Checked(from, to, q, formats);
    }

    /// <summary>Months as <c>YYYY-MM</c> (a date is accepted and means its month); default the current month.</summary>
    public static ReportQuery Monthly(IQueryCollection q, DateTimeOffset now, params string[] formats)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var from = Month(q, "from") ?? new DateOnly(today.Year, today.Month, 1);
        var toMonth = Month(q, "to") ?? from;
        return Checked(from, toMonth.AddMonths(1).AddDays(-1), q, formats);
    }

    private static ReportQuery Checked(DateOnly from, DateOnly to, IQueryCollection q, string[] formats)
    {
        if (to < from)
            throw GatewayError.InvalidRequest("'to' must not be before 'from'.", "to", "invalid_value");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
            throw GatewayError.InvalidRequest($"A report covers at most {MaxDays} days; narrow 'from'/'to'.", "from", "invalid_value");
        var groupBy = Text(q, "group_by") ?? RollupDimensions.Team;
        if (!GroupByNames.Contains(groupBy))
            throw GatewayError.InvalidRequest($"'group_by' must be one of {string.Join(", ", GroupByNames)}.", "group_by", "invalid_value");
        var format = Text(q, "format") ?? Json;
        if (!formats.Contains(format))
            throw GatewayError.InvalidRequest($"'format' must be one of {string.Join(", ", formats)}.", "format", "invalid_value");
        return new ReportQuery(from, to, groupBy, format);
    }

    public static DateOnly? Date(IQueryCollection q, string name) =>
        Text(q, name) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw GatewayError.InvalidRequest($"'{name}' must be a date as YYYY-MM-DD.", name, "invalid_value");

    private static DateOnly? Month(IQueryCollection q, string name) =>
        Text(q, name) is not { } text ? null
        : DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? new DateOnly(day.Year, day.Month, 1)
        : throw GatewayError.InvalidRequest($"'{name}' must be a month as YYYY-MM.", name, "invalid_value");

    public static string? Text(IQueryCollection q, string name) => q[name].ToString() is { Length: > 0 } s ? s : null;

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
