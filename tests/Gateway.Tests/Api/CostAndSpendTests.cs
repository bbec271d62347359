using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.Storage;
using Gateway.Tests.Api.Governance;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Cost on every answer (headers, or the final usage chunk of a stream), the usage record's who/what fields,
/// price overrides, unpriced models, and <c>GET /spend/logs</c>.</summary>
public sealed class CostAndSpendTests
{
    // gpt-4o-mini 0.15/0.6, cache read 0.075 per million: 400 × 0.15 + 600 × 0.075 + 500 × 0.6 = 0.000405 USD
    private const decimal ExpectedCost = 0.000405m;

    private static FakeResponse Answer(RecordedRequest r) => r.Json!["stream"]?.GetValue<bool>() == true
        ? FakeResponse.Sse(OpenAIWire.Chunk("Hi"), OpenAIWire.FinishChunk("stop"), OpenAIWire.UsageChunk(1000, 500, 600))
        : FakeResponse.Json(OpenAIWire.Completion("Hi", 1000, 500, 600));

    [Fact]
    public async Task StreamedAndPlainAnswers_WithTheSameUsage_CostExactlyTheSame()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = Answer;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl));

        using var plain = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var streamed = await GatewayCalls.PostChatAsync(gateway,
            GatewayCalls.Chat("gpt-4o-mini", stream: true, extra: ""","stream_options":{"include_usage":true}"""));

        Assert.Equal("0.000405", plain.Headers.GetValues("x-gateway-cost").Single());
        var usageChunk = (await streamed.Content.ReadAsStringAsync()).Split("\n\n")
            .Select(e => e.StartsWith("data: {", StringComparison.Ordinal) ? JsonNode.Parse(e[6..]) : null)
            .Single(n => n?["usage"] is JsonObject);
        Assert.Equal("0.000405", usageChunk!["x_gateway_cost"]!.GetValue<string>());
        var records = await UsageRecords.AllAsync(gateway);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(ExpectedCost, r.Cost));
        Assert.All(records, r => Assert.False(r.Unpriced));
    }

    [Fact]
    public async Task VirtualKeyRequest_RecordsWhoAndWhat_AndReportsKeySpend()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = Answer;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl));
        await gateway.Service<ITeamStore>().CreateAsync(new TeamRecord { TeamId = "search", TeamAlias = "Search" }, CancellationToken.None);
        var (raw, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { KeyAlias = "search-prod", TeamId = "search", Tags = ["prod"] });

        for (var i = 1; i <= 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent(GatewayCalls.Chat("gpt-4o-mini", extra: ""","user":"u-7","metadata":{"tags":["batch"]}"""), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", raw);
            request.Headers.Add("x-gateway-tags", "nightly, etl");
            using var response = await gateway.Http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(ExpectedCost * i, decimal.Parse(response.Headers.GetValues("x-gateway-key-spend").Single(), CultureInfo.InvariantCulture));
        }

        var record = (await UsageRecords.AllAsync(gateway))[0];
        Assert.Equal((key.KeyId, "search-prod", "search", "u-7", "gpt-4o-mini"), (record.KeyId, record.KeyAlias, record.TeamId, record.EndUser, record.ModelGroup));
        Assert.Equal(["batch", "etl", "nightly", "prod"], record.Tags);
        Assert.Null(Assert.Single(fake.Requests.Take(1)).Json!["metadata"]);
        using var info = await gateway.Http.SendAsync(AdminGet($"/key/info?key={key.KeyHash}"));
        Assert.Equal(ExpectedCost * 2, JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement.GetProperty("spend").GetDecimal());
    }

    [Fact]
    public async Task ModelWithoutAPrice_IsServedAndFlaggedUnpriced_NeverCostedAsZero()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = Answer;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl)
            .Replace("model: openai/gpt-4o-mini", "model: openai/acme-finetune-7"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("unpriced", response.Headers.GetValues("x-gateway-cost").Single());
        var record = Assert.Single(await UsageRecords.AllAsync(gateway));
        Assert.True(record.Unpriced);
        Assert.Null(record.Cost);
    }

    [Fact]
    public async Task BuiltInMockModel_CostsZero_NotUnpriced()
    {
        await using var gateway = await TestGateway.StartAsync();

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: "anything");

        Assert.Equal("0", response.Headers.GetValues("x-gateway-cost").Single());
        Assert.False(Assert.Single(await UsageRecords.AllAsync(gateway)).Unpriced);
    }

    [Fact]
    public async Task DeploymentPriceOverride_IsWhatTheRequestCosts()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = Answer;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl)
            .Replace("      api_key: sk-upstream", "      api_key: sk-upstream\n      input_cost_per_token: 0.000001\n      output_cost_per_token: 2e-06\n      cache_read_input_token_cost: 0"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        // 400 × 1.0 + 600 × 0 + 500 × 2.0 per million
        Assert.Equal("0.0014", response.Headers.GetValues("x-gateway-cost").Single());
    }

    [Fact]
    public async Task SpendLogs_FilterByTagTeamUserAndModel_AndPage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = Answer;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl));
        var (raw, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { TeamId = "t1" });
        for (var i = 0; i < 5; i++)
            await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: $$""","user":"u-{{i % 2}}","metadata":{"tags":["t{{i}}"]}"""), key: raw)).Content.ReadAsStringAsync();
        await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"))).Content.ReadAsStringAsync();

        Assert.Equal(6, (await SpendLogsAsync(gateway, "")).Count);
        Assert.Equal(5, (await SpendLogsAsync(gateway, "team_id=t1")).Count);
        Assert.Equal(3, (await SpendLogsAsync(gateway, "user=u-0")).Count);
        Assert.Equal("t3", Assert.Single(await SpendLogsAsync(gateway, "tag=t3"))!["tags"]![0]!.GetValue<string>());
        Assert.Empty(await SpendLogsAsync(gateway, "model=other"));
        Assert.Equal(5, (await SpendLogsAsync(gateway, $"key_id={key.KeyId}")).Count);
        var pages = 0;
        var seen = new HashSet<string>();
        string? token = null;
        do
        {
            using var page = await gateway.Http.SendAsync(AdminGet("/spend/logs?team_id=t1&limit=2" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token))));
            var body = JsonNode.Parse(await page.Content.ReadAsStringAsync())!;
            foreach (var r in body["data"]!.AsArray())
                Assert.True(seen.Add(r!["request_id"]!.GetValue<string>()));
            token = body["next_page_token"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);
        Assert.Equal((5, 3), (seen.Count, pages));
        Assert.Equal(0.000405m, (await SpendLogsAsync(gateway, "tag=t0"))[0]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task SpendLogs_AModelKeySeesOnlyItsOwn_AndBadRangesAre400()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = Answer;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl));
        var (raw, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k);
        await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"), key: raw)).Content.ReadAsStringAsync();
        await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"))).Content.ReadAsStringAsync();

        using var own = new HttpRequestMessage(HttpMethod.Get, "/spend/logs");
        own.Headers.Authorization = new AuthenticationHeaderValue("Bearer", raw);
        using var ownResponse = await gateway.Http.SendAsync(own);
        var data = JsonNode.Parse(await ownResponse.Content.ReadAsStringAsync())!["data"]!.AsArray();
        Assert.Equal(key.KeyId, Assert.Single(data)!["key_id"]!.GetValue<string>());
        using var other = new HttpRequestMessage(HttpMethod.Get, "/spend/logs?key_id=master");
        other.Headers.Authorization = new AuthenticationHeaderValue("Bearer", raw);
        Assert.Equal(403, (int)(await gateway.Http.SendAsync(other)).StatusCode);
        using var bad = await gateway.Http.SendAsync(AdminGet("/spend/logs?start_date=2026-13-01"));
        await ErrorAssertions.AssertEnvelopeAsync(bad, 400, param: "start_date");
        using var empty = await gateway.Http.SendAsync(AdminGet("/spend/logs?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z"));
        await ErrorAssertions.AssertEnvelopeAsync(empty, 400, param: "to");
    }

    private static async Task<JsonArray> SpendLogsAsync(TestGateway gateway, string query)
    {
        using var response = await gateway.Http.SendAsync(AdminGet("/spend/logs?" + query));
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!.AsArray();
    }

    private static HttpRequestMessage AdminGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        return request;
    }
}
