using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>Reads the finance settings in <c>gateway_settings</c>: <c>rollup_interval_minutes</c> and <c>alerts</c>.</summary>
internal static class ReportSettingsReader
{
    private const string Path = "gateway_settings";
    private const string AlertsPath = Path + ".alerts";
    private static readonly HashSet<string> AlertKeys = ["webhook_url", "sns_topic_arn", "sns_endpoint", "budget_alert_percent", "daily_spend_threshold"];

    /// <summary>Minutes between rollups of the local timer (default 60; 0 turns the timer off).</summary>
    public static int RollupInterval(YamlMappingNode? map, ConfigReader reader) =>
        map is null ? 60 : reader.Integer(map, "rollup_interval_minutes", Path, 0) ?? 60;

    /// <summary>The SNS topic may come from the environment (<c>GATEWAY_ALERTS_TOPIC_ARN</c>, set by the SAM template),
    /// so one config.yaml serves local runs and the stack.</summary>
    public static AlertSettings Alerts(YamlMappingNode? map, ConfigReader reader)
    {
        var alerts = map is null ? null : reader.Mapping(map, "alerts", Path);
        var topic = reader.Environment("GATEWAY_ALERTS_TOPIC_ARN") is { Length: > 0 } fromEnv ? fromEnv : null;
        if (alerts is null)
            return new AlertSettings { SnsTopicArn = topic };
        reader.WarnUnknownKeys(alerts, AlertsPath, AlertKeys);
        var webhook = reader.Secret(alerts, "webhook_url", AlertsPath);
        if (webhook is not null && !(Uri.TryCreate(webhook, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            reader.Problem(AlertsPath + ".webhook_url", "must be an absolute http(s) URL");
        var arn = reader.Secret(alerts, "sns_topic_arn", AlertsPath) ?? topic;
        if (arn is not null && !arn.StartsWith("arn:", StringComparison.Ordinal))
            reader.Problem(AlertsPath + ".sns_topic_arn", "must be an SNS topic ARN (arn:aws:sns:region:account:name)");
        return new AlertSettings
        {
            WebhookUrl = webhook,
            SnsTopicArn = arn,
            SnsEndpoint = reader.Secret(alerts, "sns_endpoint", AlertsPath),
            BudgetAlertPercent = Decimal(reader.Number(alerts, "budget_alert_percent", AlertsPath, 1, 100)),
            DailySpendThreshold = Decimal(reader.Number(alerts, "daily_spend_threshold", AlertsPath, 0, 1e12)),
        };
    }

    private static decimal? Decimal(double? value) => value is { } v ? (decimal)v : null;
}
