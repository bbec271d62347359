namespace Gateway.Core.Configuration;

/// <summary>
/// <c>gateway_settings.alerts</c>: where budget and spend alerts go and when they fire. Without a webhook or an SNS
/// topic, alerts are only logged.
/// </summary>
public sealed record AlertSettings
{
    /// <summary>Slack-compatible incoming webhook (<c>{"text": ...}</c> is posted).</summary>
    public string? WebhookUrl { get; init; }
    /// <summary>SNS topic to publish to (the SAM template creates one and sets <c>GATEWAY_ALERTS_TOPIC_ARN</c>).</summary>
    public string? SnsTopicArn { get; init; }
    /// <summary>Alert when a budget's spend reaches this percentage of its max budget (e.g. 80); null: only the soft budget alerts.</summary>
    public decimal? BudgetAlertPercent { get; init; }
    /// <summary>Alert when one day's total spend (USD) in the rollup exceeds this.</summary>
    public decimal? DailySpendThreshold { get; init; }
    /// <summary>Only for tests and SNS stand-ins (moto_server): the SNS endpoint to call instead of the region's.</summary>
    public string? SnsEndpoint { get; init; }
}
