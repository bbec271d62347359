using Gateway.Core.Configuration;

namespace Gateway.Tests.Core.Configuration;

/// <summary><c>gateway_settings.rollup_interval_minutes</c> and <c>gateway_settings.alerts</c>: read, defaulted and validated.</summary>
public sealed class ReportSettingsTests
{
    private const string Models = "model_list:\n  - model_name: m\n    litellm_params: { model: mock/m }\n";

    private static GatewayConfig Load(string gatewaySettings, Dictionary<string, string>? env = null) =>
        ConfigLoader.Load(Models + "gateway_settings:\n" + gatewaySettings, "test", n => env?.GetValueOrDefault(n), ["mock"]);

    [Fact]
    public void Load_AlertsAndInterval_AreRead_WithTheWebhookFromTheEnvironment()
    {
        var config = Load("""
              rollup_interval_minutes: 15
              alerts:
                webhook_url: os.environ/SLACK_WEBHOOK
                budget_alert_percent: 80
                daily_spend_threshold: 250.5
                sns_topic_arn: arn:aws:sns:eu-west-1:123456789012:alerts
            """, new() { ["SLACK_WEBHOOK"] = "https://hooks.example.com/T1/B2" });
        Assert.Equal(TimeSpan.FromMinutes(15), config.RollupInterval);
        Assert.Equal(("https://hooks.example.com/T1/B2", 80m, 250.5m, "arn:aws:sns:eu-west-1:123456789012:alerts"),
            (config.Alerts.WebhookUrl, config.Alerts.BudgetAlertPercent, config.Alerts.DailySpendThreshold, config.Alerts.SnsTopicArn));
    }

    [Fact]
    public void Load_WithoutSettings_HourlyRollups_NoAlertTargets_ButTheTemplatesTopicFromTheEnvironment()
    {
        var config = ConfigLoader.Load(Models, "test", n => n == "GATEWAY_ALERTS_TOPIC_ARN" ? "arn:aws:sns:us-east-1:1:t" : null, ["mock"]);
        Assert.Equal(TimeSpan.FromHours(1), config.RollupInterval);
        Assert.Equal((null, "arn:aws:sns:us-east-1:1:t", null), (config.Alerts.WebhookUrl, config.Alerts.SnsTopicArn, config.Alerts.BudgetAlertPercent));
    }

    [Fact]
    public void Load_BadAlertSettings_ListsEveryProblemWithItsPath()
    {
        var error = Assert.Throws<ConfigException>(() => Load("""
              rollup_interval_minutes: -5
              alerts:
                webhook_url: not-a-url
                budget_alert_percent: 150
                daily_spend_threshold: lots
                sns_topic_arn: my-topic
            """));
        Assert.Equal(5, error.Problems.Count);
        foreach (var path in new[] { "gateway_settings.rollup_interval_minutes", "gateway_settings.alerts.webhook_url", "gateway_settings.alerts.budget_alert_percent",
                     "gateway_settings.alerts.daily_spend_threshold", "gateway_settings.alerts.sns_topic_arn" })
            Assert.Contains(error.Problems, p => p.StartsWith(path + ":", StringComparison.Ordinal));
    }
}
