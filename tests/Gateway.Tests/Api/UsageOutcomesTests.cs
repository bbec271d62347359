using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Gateway.Tests.Api.Governance;
using Gateway.Tests.Storage.Contract;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Every way a request can end leaves exactly one usage record, on the embedded store and on DynamoDB (moto):
/// success, upstream error, budget refusal, rate-limit refusal, cache hit and a client leaving mid-stream.</summary>
public sealed class UsageOutcomesTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("dynamodb")]
    public async Task EveryOutcome_LeavesOneRecord(string backend)
    {
        if (backend == "dynamodb" && !moto.Server.Available)
            return;
        var table = backend == "dynamodb" ? await moto.Server.CreateTableAsync() : null;
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => r.Json!["model"]!.GetValue<string>() == "broken-upstream" ? FakeResponse.Error(500, "upstream exploded")
            : r.Json!["stream"]?.GetValue<bool>() == true
                ? new FakeResponse
                {
                    ContentType = "text/event-stream",
                    Chunks = Enumerable.Range(0, 100).Select(i => new FakeChunk(OpenAIWire.Chunk($"w{i}"), TimeSpan.FromMilliseconds(100))).ToList(),
                }
                : FakeResponse.Json(OpenAIWire.Completion("ok", 1000, 500, 600));
        var config = GovernanceFixtures.PricedConfig(fake.BaseUrl, """
            litellm_settings:
              cache: true
            """).Replace("model_list:", $"""
            model_list:
              - model_name: broken
                litellm_params:
                  model: openai/broken-upstream
                  api_base: {fake.BaseUrl}/v1
                  api_key: sk-upstream
            """);
        await using var gateway = await TestGateway.StartAsync(config,
            decorateStores: table is null ? null : _ => moto.Server.OpenStores(table, TimeProvider.System));
        var (broke, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { KeyAlias = "tiny-budget", MaxBudget = 0.0000001m });
        var (limited, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { KeyAlias = "one-rpm", RpmLimit = 1 });
        await GovernanceFixtures.AvoidMinuteBoundaryAsync();

        await Send(gateway, GatewayCalls.Chat("gpt-4o-mini"), 200);
        await Send(gateway, GatewayCalls.Chat("gpt-4o-mini"), 200);
        await Send(gateway, GatewayCalls.Chat("broken"), 502);
        await Send(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","seed":1"""), 429, broke);
        await Send(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","seed":2"""), 200, limited);
        await Send(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: ""","seed":3"""), 429, limited);
        await GatewayCalls.LeaveStreamAfterAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true, extra: ""","seed":4"""));

        await Eventually.TrueAsync(async () => (await UsageRecords.AllAsync(gateway)).Count == 7, "expected seven usage records");
        var records = await UsageRecords.AllAsync(gateway);
        Assert.Equal(7, records.Select(r => r.RequestId).Distinct().Count());
        Assert.Single(records, r => r is { Status: "success", CacheStatus: "miss", Cost: 0.000405m } && r.KeyId == "master");
        Assert.Single(records, r => r is { Status: "success", CacheStatus: "hit", Cost: 0m, SavedCost: 0.000405m });
        Assert.Single(records, r => r is { Status: "failure", HttpStatus: 502, ModelGroup: "broken" });
        Assert.Single(records, r => r is { HttpStatus: 429, ErrorKind: "BudgetExceeded", KeyAlias: "tiny-budget" });
        Assert.Single(records, r => r is { HttpStatus: 429, ErrorKind: "RateLimited", KeyAlias: "one-rpm" });
        Assert.Single(records, r => r is { HttpStatus: 499, ErrorKind: "ClientClosed", Stream: true });
    }

    private static async Task Send(TestGateway gateway, string body, int status, string key = Configs.MasterKey)
    {
        using var response = await GatewayCalls.PostChatAsync(gateway, body, key);
        Assert.Equal(status, (int)response.StatusCode);
    }
}
