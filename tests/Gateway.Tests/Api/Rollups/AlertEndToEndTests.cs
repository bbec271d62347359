using System.Text.Json;
using Gateway.Core.Governance;
using Gateway.Core.Storage;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using Gateway.Tests.Api.Governance;
using static Gateway.Tests.Api.Reports.ReportFixtures;

namespace Gateway.Tests.Api.Rollups;

/// <summary>Budget and daily-spend alerts reach a Slack-compatible webhook once per crossing, retried when it fails.</summary>
public sealed class AlertEndToEndTests
{
    private static string AlertConfig(string webhook) => Config($"""
          alerts:
            webhook_url: {webhook}/hook
            budget_alert_percent: 80
            daily_spend_threshold: 5
        """);

    private static async Task SpendAsync(TestGateway gateway, VirtualKeyRecord key, decimal amount)
    {
        var period = BudgetPeriod.For(key.BudgetDuration, DateTimeOffset.UtcNow);
        await gateway.Service<IMeterStore>().ApplyAsync(new MeterKey($"key:{key.KeyId}", "spend", period.Id), new MeterDelta(amount), period.Expiry, CancellationToken.None);
    }

    [Fact]
    public async Task Crossings_SentOncePerBudgetAndDay_EvenWhenRollupsRunAgain()
    {
        await using var hook = await FakeUpstream.StartAsync();
        hook.Respond = _ => FakeResponse.Json("ok");
        await using var gateway = await TestGateway.StartAsync(AlertConfig(hook.BaseUrl));
        var (_, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { KeyAlias = "notebook", MaxBudget = 10m, SoftBudget = 9.5m, BudgetDuration = "1d" });
        await SpendAsync(gateway, key, 8.5m);
        await AppendAsync(gateway, Record("big", DateTimeOffset.UtcNow, "t1", 6m));
        for (var i = 0; i < 3; i++)
            Assert.Equal(200, (int)(await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run")).StatusCode);
        var kinds = hook.Requests.Select(r => r.Json!["kind"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["budget_percent", "daily_spend"], kinds);
        var budgetText = hook.Requests.Select(r => r.Json!["text"]!.GetValue<string>()).Single(t => t.Contains("notebook"));
        Assert.Contains("$8.50 of its max budget $10.00 (85%)", budgetText);
        Assert.All(hook.Requests, r => Assert.Equal("/hook", r.Path));

        await SpendAsync(gateway, key, 1m); // now past the soft budget too: a new crossing, sent once
        await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run");
        await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run");
        Assert.Equal(3, hook.Requests.Count);
        Assert.Equal("soft_budget", hook.Requests.Last().Json!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailingWebhook_IsRetried_AndAfterGivingUpTheNextRunSendsIt()
    {
        await using var hook = await FakeUpstream.StartAsync();
        var calls = 0;
        hook.Respond = _ => Interlocked.Increment(ref calls) <= 3 ? FakeResponse.Json("down", 503) : FakeResponse.Json("ok");
        await using var gateway = await TestGateway.StartAsync(AlertConfig(hook.BaseUrl));
        await AppendAsync(gateway, Record("big", DateTimeOffset.UtcNow, "t1", 6m));
        using var first = await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run");
        using (var doc = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
            Assert.Equal(0, doc.RootElement.GetProperty("alerts_sent").GetInt32());
        Assert.Equal(3, hook.Calls);
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("failed after retries", StringComparison.Ordinal));
        using var second = await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run");
        using (var doc = JsonDocument.Parse(await second.Content.ReadAsStringAsync()))
            Assert.Equal(1, doc.RootElement.GetProperty("alerts_sent").GetInt32());
        await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run");
        Assert.Equal(4, hook.Calls);
    }
}
