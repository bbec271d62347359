using Gateway.Core.Governance;
using Gateway.Core.Storage;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using Gateway.Tests.Api.Governance;

namespace Gateway.Tests.Api.Rollups;

/// <summary>Budget alerts leave when the request that crosses the threshold settles, not at the next rollup run,
/// and still only once per crossing.</summary>
public sealed class PromptBudgetAlertTests
{
    [Fact]
    public async Task RequestCrossingPercentThenSoftBudget_SendsEachAlertOnce_WithoutARollupRun()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("Hi", 1000, 500, 600)); // costs $0.000405
        await using var hook = await FakeUpstream.StartAsync();
        hook.Respond = _ => FakeResponse.Json("ok");
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(upstream.BaseUrl, $"""
            gateway_settings:
              rollup_interval_minutes: 0
              alerts:
                webhook_url: {hook.BaseUrl}/hook
                budget_alert_percent: 80
            """));
        var (raw, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with
        {
            KeyAlias = "prompt-alerts", MaxBudget = 0.01m, SoftBudget = 0.0089m, BudgetDuration = "1d",
        });
        var period = BudgetPeriod.For("1d", DateTimeOffset.UtcNow);
        await gateway.Service<IMeterStore>().ApplyAsync(new MeterKey($"key:{key.KeyId}", "spend", period.Id), new MeterDelta(0.0078m), period.Expiry, CancellationToken.None);

        for (var i = 0; i < 4; i++)
            Assert.Equal(200, (int)(await GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), key: raw)).StatusCode);

        // 0.0078 + 0.000405 crosses 80% of $0.01 on the first request; the third crosses the $0.0089 soft budget.
        Assert.Equal(["budget_percent", "soft_budget"], hook.Requests.Select(r => r.Json!["kind"]!.GetValue<string>()));
    }
}
