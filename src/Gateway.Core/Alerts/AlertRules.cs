using System.Globalization;
using Gateway.Core.Configuration;
using Gateway.Core.Governance;
using Gateway.Core.Storage;

namespace Gateway.Core.Alerts;

/// <summary>
/// Which alerts the current state calls for. Pure: the same budgets and rollups always give the same alerts, and
/// the once-only claim (per budget, kind and period) is what keeps a crossing from being sent again.
/// </summary>
public static class AlertRules
{
    /// <summary>Budgets at or past their soft budget, or at or past <see cref="AlertSettings.BudgetAlertPercent"/> of their max budget.</summary>
    public static IEnumerable<Alert> ForBudgets(IEnumerable<BudgetStatus> budgets, AlertSettings settings)
    {
        foreach (var b in budgets)
        {
            var name = $"{b.Kind} '{b.Alias ?? b.Id}'";
            var expires = (b.ResetAt ?? b.PeriodStart.AddYears(100)).AddDays(1);
            var resets = b.ResetAt is { } r ? $"; resets {r:yyyy-MM-ddTHH:mm:ssZ}" : "";
            if (b.SoftBudget is { } soft && b.Spent >= soft)
                yield return new Alert(AlertKinds.SoftBudget, $"Soft budget crossed: {name}",
                    $"{name} has spent {Usd(b.Spent)} of its soft budget {Usd(soft)}{Max(b)} this period ({b.PeriodId}{resets}); projected {Usd(b.Projected)} by period end.",
                    new MeterKey(b.Entity, "alert:" + AlertKinds.SoftBudget, b.PeriodId), expires);
            if (settings.BudgetAlertPercent is { } percent && b.MaxBudget is { } max && max > 0 && b.Spent >= max * percent / 100m)
                yield return new Alert(AlertKinds.BudgetPercent, $"Budget {Pct(percent)} used: {name}",
                    $"{name} has spent {Usd(b.Spent)} of its max budget {Usd(max)} ({Pct(b.Spent / max * 100m)}) this period ({b.PeriodId}{resets}); " +
                    $"{Usd(b.Reserved)} reserved by requests in flight; projected {Usd(b.Projected)} by period end.",
                    new MeterKey(b.Entity, "alert:" + AlertKinds.BudgetPercent, b.PeriodId), expires);
        }
    }

    /// <summary>A day whose total spend in the rollup is above <see cref="AlertSettings.DailySpendThreshold"/>.</summary>
    public static Alert? ForDay(DailyRollup total, AlertSettings settings)
    {
        if (settings.DailySpendThreshold is not { } threshold || total.Cost <= threshold)
            return null;
        var day = total.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new Alert(AlertKinds.DailySpend, $"Daily spend above {Usd(threshold)} on {day}",
            $"The gateway's spend on {day} (UTC) is {Usd(total.Cost)} over {total.Requests} requests, above the daily threshold of {Usd(threshold)}.",
            new MeterKey("gateway", "alert:" + AlertKinds.DailySpend, "d" + day),
            new DateTimeOffset(total.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(40));
    }

    private static string Max(BudgetStatus b) => b.MaxBudget is { } m ? $" (max {Usd(m)})" : "";
    private static string Usd(decimal value) => "$" + value.ToString("0.00####", CultureInfo.InvariantCulture);
    private static string Pct(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
