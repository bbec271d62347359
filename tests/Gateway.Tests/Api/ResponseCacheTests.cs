using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Core.Storage;
using Gateway.Tests.Api.Governance;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using OpenAI.Chat;

namespace Gateway.Tests.Api;

/// <summary>The response cache end to end: hit and miss, TTL, no-cache/no-store, tenant isolation, stream replay
/// both ways, compression and answers too large for one item.</summary>
public sealed class ResponseCacheTests
{
    private static string Config(string fakeUrl, string cacheParams = "") => GovernanceFixtures.PricedConfig(fakeUrl, $"""
        litellm_settings:
          cache: true
        {cacheParams}
        """);

    private static FakeResponse Answer(RecordedRequest r, string text = "Cached hello") => r.Json!["stream"]?.GetValue<bool>() == true
        ? FakeResponse.Sse(OpenAIWire.Chunk(text[..5]), OpenAIWire.Chunk(text[5..]), OpenAIWire.FinishChunk("stop"), OpenAIWire.UsageChunk(1000, 500, 600))
        : FakeResponse.Json(OpenAIWire.Completion(text, 1000, 500, 600));

    [Fact]
    public async Task SecondIdenticalRequest_IsAHit_CostsNothing_AndRecordsTheSaving()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        using var first = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var second = await GatewayCalls.PostChatAsync(gateway,
            """{"messages":[{"content":"Say hello","role":"user"}],"stream":false,"model":"gpt-4o-mini","user":"someone-else"}""");

        Assert.Equal("miss", first.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal("hit", second.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal("0", second.Headers.GetValues("x-gateway-cost").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, fake.Calls);
        var records = await UsageRecords.AllAsync(gateway);
        var hit = records.Single(r => r.CacheStatus == "hit");
        Assert.Equal((0m, 0.000405m, "success", 1000L), (hit.Cost, hit.SavedCost, hit.Status, hit.PromptTokens));
        Assert.Equal(0.000405m, records.Single(r => r.CacheStatus == "miss").Cost);
    }

    [Fact]
    public async Task DifferentSamplingParameters_AreDifferentEntries()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","temperature":0"""))).Content.ReadAsStringAsync();
        using var other = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","temperature":1"""));

        Assert.Equal("miss", other.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public async Task EntryPastItsTtl_IsAMiss()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var body = GatewayCalls.Chat("gpt-4o-mini", extra: ""","cache":{"ttl":1}""");

        await (await GatewayCalls.PostChatAsync(gateway, body)).Content.ReadAsStringAsync();
        using var within = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        using var after = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        Assert.Equal("hit", within.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal("miss", after.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public async Task NoCache_SkipsTheLookupButStores_NoStore_ServesButDoesNotStore()
    {
        await using var fake = await FakeUpstream.StartAsync();
        var answer = "First answer";
        fake.Respond = r => Answer(r, answer);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"))).Content.ReadAsStringAsync();
        answer = "Fresh answer";

        using var bypass = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","cache":{"no-cache":true}"""));
        using var afterBypass = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        Assert.Equal("bypass", bypass.Headers.GetValues("x-gateway-cache").Single());
        Assert.Contains("Fresh answer", await afterBypass.Content.ReadAsStringAsync());
        Assert.Equal(2, fake.Calls);

        var other = GatewayCalls.Chat("gpt-4o-mini", extra: ""","seed":7""");
        using var noStore = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(other, Encoding.UTF8, "application/json") };
        noStore.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        noStore.Headers.CacheControl = new CacheControlHeaderValue { NoStore = true };
        await (await gateway.Http.SendAsync(noStore)).Content.ReadAsStringAsync();
        using var afterNoStore = await GatewayCalls.PostChatAsync(gateway, other);
        Assert.Equal("miss", afterNoStore.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal(4, fake.Calls);
    }

    [Fact]
    public async Task Tenants_NeverShareAnswers_UnlessTheScopeIsGlobal()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var (teamA1, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { TeamId = "a" });
        var (teamA2, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { TeamId = "a" });
        var (teamB, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { TeamId = "b" });
        foreach (var team in new[] { "a", "b" })
            await gateway.Service<ITeamStore>().CreateAsync(new TeamRecord { TeamId = team }, CancellationToken.None);

        var statuses = new List<string>();
        foreach (var key in new[] { teamA1, teamB, teamA2 })
            statuses.Add((await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"), key: key)).Headers.GetValues("x-gateway-cache").Single());

        Assert.Equal(["miss", "miss", "hit"], statuses);
        Assert.Equal(2, fake.Calls);

        await using var global = await TestGateway.StartAsync(Config(fake.BaseUrl, "  cache_params:\n    scope: global"));
        var (g1, _) = await GovernanceFixtures.CreateKeyAsync(global, k => k with { TeamId = "a" });
        var (g2, _) = await GovernanceFixtures.CreateKeyAsync(global, k => k with { TeamId = "b" });
        await (await GatewayCalls.PostChatAsync(global, GatewayCalls.Chat("gpt-4o-mini"), key: g1)).Content.ReadAsStringAsync();
        using var shared = await GatewayCalls.PostChatAsync(global, GatewayCalls.Chat("gpt-4o-mini"), key: g2);
        Assert.Equal("hit", shared.Headers.GetValues("x-gateway-cache").Single());
    }

    [Fact]
    public async Task PlainAnswer_IsReplayedToAStreamingRequest_AndAStreamedAnswerServesAPlainOne()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var sdk = GatewayCalls.Sdk(gateway, "gpt-4o-mini");

        await sdk.CompleteChatAsync([new UserChatMessage("Say hello")]);
        var text = new StringBuilder();
        await foreach (var update in sdk.CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
        Assert.Equal("Cached hello", text.ToString());
        Assert.Equal(1, fake.Calls);

        var streamedFirst = new StringBuilder();
        await foreach (var update in sdk.CompleteChatStreamingAsync([new UserChatMessage("Another question")]))
            foreach (var part in update.ContentUpdate)
                streamedFirst.Append(part.Text);
        ChatCompletion plain = await sdk.CompleteChatAsync([new UserChatMessage("Another question")]);
        Assert.Equal(streamedFirst.ToString(), plain.Content[0].Text);
        Assert.Equal(1000, plain.Usage.InputTokenCount);
        Assert.Equal(2, fake.Calls);
        var hits = (await UsageRecords.AllAsync(gateway)).Where(r => r.CacheStatus == "hit").ToList();
        Assert.Equal([true, false], hits.Select(h => h.Stream));
    }

    [Fact]
    public async Task ReplayedStream_ShowsUsageWithZeroCostOnlyWhenAsked()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        await (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"))).Content.ReadAsStringAsync();

        using var replay = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true, extra: ""","stream_options":{"include_usage":true}"""));
        var events = (await replay.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("data: [DONE]", events[^1]);
        var usage = JsonNode.Parse(events[^2][6..])!;
        Assert.Equal(("0", 1000), (usage["x_gateway_cost"]!.GetValue<string>(), usage["usage"]!["prompt_tokens"]!.GetValue<int>()));
        Assert.Equal("stop", JsonNode.Parse(events[^3][6..])!["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task LargeRepetitiveAnswer_IsStoredCompressed_AndServedIdentically()
    {
        await using var fake = await FakeUpstream.StartAsync();
        var big = string.Concat(Enumerable.Repeat("All work and no play. ", 5000));
        fake.Respond = r => Answer(r, big);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        using var first = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var second = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        Assert.Equal("hit", second.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.True(big.Length > 100_000);
    }

    [Fact]
    public async Task AnswerTooLargeForOneItem_IsServedNotCached_AndSaysSo()
    {
        await using var fake = await FakeUpstream.StartAsync();
        var random = new Random(7);
        var noise = new string(Enumerable.Range(0, 8000).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        fake.Respond = r => Answer(r, noise);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, "  cache_params:\n    max_item_kb: 2"));

        using var first = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var second = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Contains(noise, await first.Content.ReadAsStringAsync());
        Assert.Equal("too_large", first.Headers.GetValues("x-gateway-cache-skipped").Single());
        Assert.Equal("miss", second.Headers.GetValues("x-gateway-cache").Single());
        Assert.Equal(2, fake.Calls);
    }

    [Fact]
    public async Task CacheOff_SendsNoCacheHeader_AndBadCacheFieldIs400()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => Answer(r);
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl));

        using var plain = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var bad = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","cache":{"s-maxage":5}"""));

        Assert.False(plain.Headers.Contains("x-gateway-cache"));
        await ErrorAssertions.AssertEnvelopeAsync(bad, 400, param: "cache.s-maxage");
        Assert.Null(Assert.Single(fake.Requests).Json!["cache"]);
    }
}
