using System.Globalization;
using System.Text.Json;
using Gateway.Core.Storage;
using Gateway.Testing.Hosting;
using Gateway.Tests.Api.Governance;
using static Gateway.Tests.Api.Reports.ReportFixtures;

namespace Gateway.Tests.Api.Reports;

/// <summary>Usage records → <c>POST /admin/rollups/run</c> → the reports in JSON, CSV and FOCUS, with their access rules.</summary>
public sealed class ReportsEndToEndTests
{
    private static readonly DateOnly Day1 = new(2026, 11, 20);
    private static readonly DateOnly Day2 = new(2026, 11, 21);

    private static async Task<TestGateway> SeededAsync()
    {
        var gateway = await TestGateway.StartAsync(Config());
        await AppendAsync(gateway,
            Record("a", Noon(Day1), "research", 0.5m, tags: ["etl", "=cmd"]),
            Record("b", Noon(Day1).AddHours(11), "research", 0.25m, status: "failure"),
            Record("c", Noon(Day1).AddHours(-12), null, 1.125m, model: "claude", cache: "hit"),
            Record("d", Noon(Day2), "research", 2m));
        using var run = await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run?from=2026-11-20&to=2026-11-21");
        Assert.Equal(200, (int)run.StatusCode);
        return gateway;
    }

    [Fact]
    public async Task DailyReport_Json_GroupsEachDayByTeam_WithTotals()
    {
        await using var gateway = await SeededAsync();
        using var response = await SendAsync(gateway, HttpMethod.Get, "/reports/daily?from=2026-11-20&to=2026-11-21&group_by=team");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = doc.RootElement.GetProperty("data").EnumerateArray()
            .Select(r => (r.GetProperty("date").GetString(), r.GetProperty("team").GetString(), r.GetProperty("requests").GetInt64(), r.GetProperty("cost_usd").GetDecimal()))
            .ToList();
        Assert.Equal([("2026-11-20", "(none)", 1L, 1.125m), ("2026-11-20", "research", 2L, 0.75m), ("2026-11-21", "research", 1L, 2m)], rows);
        var total = doc.RootElement.GetProperty("total");
        Assert.Equal((4L, 3.875m, 1L, 1L), (total.GetProperty("requests").GetInt64(), total.GetProperty("cost_usd").GetDecimal(),
            total.GetProperty("failures").GetInt64(), total.GetProperty("cache_hits").GetInt64()));
    }

    [Fact]
    public async Task DailyReport_Csv_HasAHeaderIsoDatesPlainDecimals_AndDefusesFormulas()
    {
        await using var gateway = await SeededAsync();
        using var response = await SendAsync(gateway, HttpMethod.Get, "/reports/daily?from=2026-11-20&to=2026-11-20&group_by=tag&format=csv");
        Assert.StartsWith("text/csv", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition!.ToString());
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("date,tag,requests,successes,failures,cache_hits,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,cost_usd,saved_cost_usd", lines[0]);
        Assert.Contains("2026-11-20,(none),2,1,1,1,200,40,0,0,1.375,0.01", lines);
        Assert.Contains("2026-11-20,'=cmd,1,1,0,0,100,20,0,0,0.5,0", lines);
        Assert.Contains("2026-11-20,etl,1,1,0,0,100,20,0,0,0.5,0", lines);
    }

    [Fact]
    public async Task DailyReport_Focus_HasTheSpecColumns_WithCostsAndChargePeriods()
    {
        await using var gateway = await SeededAsync();
        using var response = await SendAsync(gateway, HttpMethod.Get, "/reports/daily?from=2026-11-21&to=2026-11-21&group_by=team&format=focus");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        foreach (var column in new[] { "BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ChargePeriodEnd", "ServiceName", "ResourceId", "Tags", "ChargeCategory" })
            Assert.Contains(column, header);
        Assert.Equal(2, lines.Length);
        var row = ParseCsvLine(lines[1]);
        string Col(string name) => row[Array.IndexOf(header, name)];
        Assert.Equal(("2", "2", "USD", "2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z", "team/research", "Usage", "research"),
            (Col("BilledCost"), Col("EffectiveCost"), Col("BillingCurrency"), Col("ChargePeriodStart"), Col("ChargePeriodEnd"), Col("ResourceId"),
             Col("ChargeCategory"), Col("SubAccountId")));
        Assert.Equal("research", JsonDocument.Parse(Col("Tags")).RootElement.GetProperty("x_gateway_value").GetString());
    }

    [Fact]
    public async Task MonthlyReport_SumsTheMonthsDays_PerModel()
    {
        await using var gateway = await SeededAsync();
        using var response = await SendAsync(gateway, HttpMethod.Get, "/reports/monthly?from=2026-11&group_by=model");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = doc.RootElement.GetProperty("data").EnumerateArray()
            .Select(r => (r.GetProperty("month").GetString(), r.GetProperty("model").GetString(), r.GetProperty("cost_usd").GetDecimal())).ToList();
        Assert.Equal([("2026-11", "gpt-4o-mini", 2.75m), ("2026-11", "claude", 1.125m)], rows);
    }

    [Fact]
    public async Task BudgetsReport_ShowsLimitSpentReservedProjectionAndReset()
    {
        await using var gateway = await TestGateway.StartAsync(Config());
        var (_, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { KeyAlias = "notebook", MaxBudget = 10m, SoftBudget = 8m, BudgetDuration = "1mo" });
        var period = Gateway.Core.Governance.BudgetPeriod.For("1mo", DateTimeOffset.UtcNow);
        await gateway.Service<IMeterStore>().ApplyAsync(new MeterKey($"key:{key.KeyId}", "spend", period.Id), new MeterDelta(3.5m, 0.5m),
            period.Expiry, CancellationToken.None);
        using var response = await SendAsync(gateway, HttpMethod.Get, "/reports/budgets");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var budget = doc.RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(("key", key.KeyId, "notebook", 10m, 3m, 0.5m, period.Id), (budget.GetProperty("kind").GetString(), budget.GetProperty("id").GetString(),
            budget.GetProperty("alias").GetString(), budget.GetProperty("max_budget").GetDecimal(), budget.GetProperty("spent").GetDecimal(),
            budget.GetProperty("reserved").GetDecimal(), budget.GetProperty("period").GetString()));
        Assert.Equal(period.Reset, budget.GetProperty("reset_at").GetDateTimeOffset());
        Assert.True(budget.GetProperty("projected").GetDecimal() >= 3m);
        Assert.Equal(0.3m, budget.GetProperty("utilisation").GetDecimal());
    }

    [Theory]
    [InlineData("/reports/daily")]
    [InlineData("/reports/monthly")]
    [InlineData("/reports/budgets")]
    public async Task Reports_NeedAReportsKey_ModelKeysGet403_NoKey401(string path)
    {
        await using var gateway = await TestGateway.StartAsync(Config());
        var (llm, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { Permissions = "llm" });
        var (reports, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { Permissions = "reports" });
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Get, path, key: null), 401);
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Get, path, llm), 403);
        Assert.Equal(200, (int)(await SendAsync(gateway, HttpMethod.Get, path, reports)).StatusCode);
    }

    [Fact]
    public async Task RollupRun_NeedsAnAdminKey_AndRejectsBadRangesNamingTheParameter()
    {
        await using var gateway = await TestGateway.StartAsync(Config());
        var (reports, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { Permissions = "reports" });
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run", reports), 403);
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run?from=2026-11-21&to=2026-11-20"), 400, param: "to");
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Get, "/reports/daily?group_by=colour"), 400, param: "group_by");
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Get, "/reports/daily?from=24-11-2026"), 400, param: "from");
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Get, "/reports/monthly?format=focus"), 400, param: "format");
    }

    [Fact]
    public async Task RollupRuns_AreListed_WithRecordsReadAndOutcome()
    {
        await using var gateway = await SeededAsync();
        using var response = await SendAsync(gateway, HttpMethod.Get, "/admin/rollups/runs");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var runs = doc.RootElement.GetProperty("runs").EnumerateArray()
            .Select(r => (r.GetProperty("day").GetString(), r.GetProperty("records_read").GetInt64(), r.GetProperty("outcome").GetString(), r.GetProperty("trigger").GetString()))
            .OrderBy(r => r.Item1).ToList();
        Assert.Equal([("2026-11-20", 3L, "ok", "manual"), ("2026-11-21", 1L, "ok", "manual")], runs);
    }

    /// <summary>Splits one RFC 4180 line (quoted fields with doubled quotes).</summary>
    internal static string[] ParseCsvLine(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
