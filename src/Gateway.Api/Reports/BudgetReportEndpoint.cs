using Gateway.Api.Admin;
using Gateway.Api.Auth;
using Gateway.Core.Governance;

namespace Gateway.Api.Reports;

/// <summary>
/// <c>GET /reports/budgets</c>: every key and team budget this period: limit, soft budget, spent, reserved, projected
/// end-of-period spend, utilisation and reset time. Read from the live budget meters, so it is exact now, not as of the
/// last rollup.
/// </summary>
internal static class BudgetReportEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, BudgetOverview budgets)
    {
        var ct = context.RequestAborted;
        await auth.RequireAsync(context.Request, c => c.CanReadReports, "read reports", ct);
        var list = (await budgets.ListAsync(ct)).OrderBy(b => b.Kind, StringComparer.Ordinal).ThenBy(b => b.Id, StringComparer.Ordinal).ToList();
        await AdminJson.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var b in list)
            {
                w.WriteStartObject();
                w.WriteString("kind", b.Kind);
                w.WriteString("id", b.Id);
                if (b.Alias is { } alias) w.WriteString("alias", alias); else w.WriteNull("alias");
                if (b.MaxBudget is { } max) w.WriteNumber("max_budget", max); else w.WriteNull("max_budget");
                if (b.SoftBudget is { } soft) w.WriteNumber("soft_budget", soft); else w.WriteNull("soft_budget");
                if (b.BudgetDuration is { } d) w.WriteString("budget_duration", d); else w.WriteNull("budget_duration");
                w.WriteString("period", b.PeriodId);
                w.WriteString("period_start", b.PeriodStart);
                if (b.ResetAt is { } reset) w.WriteString("reset_at", reset); else w.WriteNull("reset_at");
                w.WriteNumber("spent", b.Spent);
                w.WriteNumber("reserved", b.Reserved);
                w.WriteNumber("projected", b.Projected);
                if (b.MaxBudget is { } m && m > 0) w.WriteNumber("utilisation", decimal.Round(b.Spent / m, 4)); else w.WriteNull("utilisation");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
