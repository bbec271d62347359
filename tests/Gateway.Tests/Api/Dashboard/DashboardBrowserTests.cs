using System.Text.Json.Nodes;
using Gateway.Core.Governance;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;
using Gateway.Testing.Browser;
using Gateway.Testing.Hosting;
using Gateway.Tests.Api.Governance;
using Gateway.Tests.Api.Reports;

namespace Gateway.Tests.Api.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium against a gateway with seeded rollups: sign in with a reports key, check
/// the rendered numbers, chart bars, top keys and budget bars, and save a screenshot (artifacts/test-results/dashboard.png).
/// Under CI=true a missing Chromium fails the test; elsewhere the test returns early.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static DailyRollup Row(DateOnly day, string dimension, string value, decimal cost, long requests = 100, long failures = 0, long hits = 0) => new()
    {
        Day = day, Dimension = dimension, Value = value, Cost = cost, Requests = requests, Successes = requests - failures, Failures = failures, CacheHits = hits,
    };

    [Fact]
    public async Task Dashboard_SignedInWithAReportsKey_RendersSpendChartTopKeysAndBudgets()
    {
        var chromium = HeadlessChromium.FindExecutable();
        if (chromium is null)
        {
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", "chromium is required under CI (apt-get install chromium)");
            return;
        }
        await using var gateway = await TestGateway.StartAsync(ReportFixtures.Config());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (day1, day2) = (today.AddDays(-5), today.AddDays(-4));
        var rollups = gateway.Service<IRollupStore>();
        await rollups.ReplaceDayAsync(day1, [
            Row(day1, RollupDimensions.Total, "all", 20m, requests: 120, failures: 6, hits: 30),
            Row(day1, RollupDimensions.Team, "alpha", 12.5m), Row(day1, RollupDimensions.Team, "beta", 7.5m),
            Row(day1, RollupDimensions.Key, "key-big", 15m), Row(day1, RollupDimensions.Key, "key-small", 5m),
        ], CancellationToken.None);
        await rollups.ReplaceDayAsync(day2, [
            Row(day2, RollupDimensions.Total, "all", 5m, requests: 80, failures: 4, hits: 20),
            Row(day2, RollupDimensions.Team, "alpha", 5m), Row(day2, RollupDimensions.Key, "key-small", 5m),
        ], CancellationToken.None);
        var (reportsKey, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { Permissions = "reports" });
        var (_, budgeted) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { KeyAlias = "notebook", MaxBudget = 40m, BudgetDuration = "1mo" });
        var period = BudgetPeriod.For("1mo", DateTimeOffset.UtcNow);
        await gateway.Service<IMeterStore>().ApplyAsync(new MeterKey($"key:{budgeted.KeyId}", "spend", period.Id), new MeterDelta(20m), period.Expiry, CancellationToken.None);

        await using var browser = await HeadlessChromium.StartAsync(chromium);
        await browser.NavigateAsync(gateway.BaseUrl + "/ui");
        await browser.EvaluateAsync($"document.getElementById('key').value = '{reportsKey}'; document.getElementById('signin-form').requestSubmit(); true");
        await browser.WaitForAsync("document.getElementById('dashboard').dataset.state !== 'loading' && document.getElementById('dashboard').dataset.state !== 'idle'");
        var page = (await browser.EvaluateAsync("""
            JSON.stringify({
              state: document.getElementById('dashboard').dataset.state,
              message: document.getElementById('message').textContent,
              spend: document.getElementById('total-spend').textContent,
              requests: document.getElementById('requests').textContent,
              errors: document.getElementById('error-rate').textContent,
              hits: document.getElementById('cache-hit-rate').textContent,
              bars: [...document.querySelectorAll('#chart rect')].map(r => r.dataset.group + '@' + r.dataset.day + '=' + r.dataset.cost),
              keys: [...document.querySelectorAll('#top-keys tbody tr')].map(r => r.dataset.key + ' ' + r.cells[2].textContent),
              budgets: [...document.querySelectorAll('#budgets tbody tr')].map(r => r.cells[0].textContent + ' ' + r.cells[4].textContent),
              keyInUrl: location.href.includes('sk-'),
            })
            """))!.GetValue<string>();
        await browser.SaveScreenshotAsync(FixtureFile.RepoPath("artifacts", "test-results", "dashboard.png"));

        var shown = JsonNode.Parse(page)!;
        Assert.True(shown["state"]!.GetValue<string>() == "ready", shown["message"]!.GetValue<string>());
        Assert.Equal(("$25.00", "200", "5.0%", "25.0%"), (shown["spend"]!.GetValue<string>(), shown["requests"]!.GetValue<string>(),
            shown["errors"]!.GetValue<string>(), shown["hits"]!.GetValue<string>()));
        string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"alpha@{Iso(day1)}=12.5", $"beta@{Iso(day1)}=7.5", $"alpha@{Iso(day2)}=5"],
            shown["bars"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.Equal(["key-big $15.00", "key-small $10.00"], shown["keys"]!.AsArray().Select(k => k!.GetValue<string>()));
        Assert.Equal(["key notebook 50.0%"], shown["budgets"]!.AsArray().Select(b => b!.GetValue<string>()));
        Assert.False(shown["keyInUrl"]!.GetValue<bool>());
    }
}
