using Gateway.Core.Storage;

namespace Gateway.Core.Alerts;

/// <summary>
/// One notification to send. <see cref="Once"/> names the crossing (budget, kind and period): a sink sends an alert only
/// if it can claim that meter for itself, so no crossing is ever announced twice, however many instances look.
/// </summary>
public sealed record Alert(string Kind, string Title, string Text, MeterKey Once, DateTimeOffset ClaimExpiresAt);

/// <summary>The kinds of alert.</summary>
public static class AlertKinds
{
    public const string SoftBudget = "soft_budget";
    public const string BudgetPercent = "budget_percent";
    public const string DailySpend = "daily_spend";
}

/// <summary>Somewhere alerts go (a Slack-compatible webhook, an SNS topic).</summary>
public interface IAlertSink
{
    /// <summary>Short stable name; part of the once-only claim, so each sink gets each alert exactly once.</summary>
    string Name { get; }
    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}
