using Gateway.Core.Governance;
using Gateway.Core.Storage;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using Gateway.Tests.Storage.Contract;

namespace Gateway.Tests.Api.Governance;

/// <summary>
/// Budgets that never overspend and rate limits that admit exactly their limit, under concurrency, against a fake
/// with real latency (LiteLLM issues 34732, 40095, 26672 show budgets bypassed by concurrent requests).
/// </summary>
public sealed class BudgetRaceTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    /// <summary>gateway_settings for the store under test; null when DynamoDB is unavailable outside CI.</summary>
    private async Task<string?> StoreSettingsAsync(string store)
    {
        if (store == "sqlite")
            return "";
        if (!moto.Server.Available)
            return null;
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "testing");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "testing");
        return $"""
            gateway_settings:
              store: dynamodb
              dynamodb_table: {await moto.Server.CreateTableAsync()}
              dynamodb_endpoint: {moto.Server.Endpoint}
              aws_region_name: us-east-1
            """;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("dynamodb")]
    public async Task TwoHundredConcurrentRequests_OnABudgetForFifty_AdmitExactlyFiftyAndRecordEveryCost(string store)
    {
        if (await StoreSettingsAsync(store) is not { } settings) return;
        var body = GovernanceFixtures.Body();
        var prompt = GovernanceFixtures.PromptTokens(body);
        var cost = GovernanceFixtures.Cost(prompt);
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("ok", prompt: (int)prompt, completion: GovernanceFixtures.MaxTokens))
            with { DelayBeforeHeaders = TimeSpan.FromMilliseconds(50) };
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl, settings));
        var (raw, key) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { MaxBudget = cost * 50, BudgetDuration = "1mo" });

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => GatewayCalls.PostChatAsync(gateway, body, raw)));

        Assert.Equal(50, responses.Count(r => (int)r.StatusCode == 200));
        var refused = responses.Where(r => (int)r.StatusCode != 200).ToList();
        Assert.Equal(150, refused.Count);
        foreach (var response in refused.Take(3))
            await ErrorAssertions.AssertEnvelopeAsync(response, 429, "insufficient_quota");
        var period = BudgetPeriod.For("1mo", DateTimeOffset.UtcNow);
        var meter = await gateway.Service<IMeterStore>().GetAsync(new MeterKey($"key:{key.KeyId}", "spend", period.Id), CancellationToken.None);
        Assert.Equal(0m, meter.Reserved);
        Assert.Equal(cost * 50, meter.Spent);
        Assert.True(meter.Spent <= key.MaxBudget);
        Assert.Equal(50, fake.Calls);
        var records = await UsageRecords.AllAsync(gateway);
        Assert.Equal(200, records.Count);
        Assert.Equal(50, records.Count(r => r.Status == "success"));
        Assert.All(records.Where(r => r.Status == "failure"), r => Assert.Equal("BudgetExceeded", r.ErrorKind));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("dynamodb")]
    public async Task ConcurrentRequests_OnAnRpmLimit_AdmitExactlyTheLimit(string store)
    {
        if (await StoreSettingsAsync(store) is not { } settings) return;
        await GovernanceFixtures.AvoidMinuteBoundaryAsync();
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("ok")) with { DelayBeforeHeaders = TimeSpan.FromMilliseconds(30) };
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl, settings));
        var (raw, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { RpmLimit = 10 });

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), raw)));

        Assert.Equal(10, responses.Count(r => (int)r.StatusCode == 200));
        var limited = responses.First(r => (int)r.StatusCode == 429);
        await ErrorAssertions.AssertEnvelopeAsync(limited, 429, "rate_limit_exceeded");
        Assert.True(limited.Headers.RetryAfter is not null);
        var ok = responses.First(r => (int)r.StatusCode == 200);
        Assert.Equal("10", ok.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.True(long.Parse(ok.Headers.GetValues("x-ratelimit-remaining-requests").Single()) is >= 0 and < 10);
        Assert.EndsWith("s", ok.Headers.GetValues("x-ratelimit-reset-requests").Single());
    }

    [Fact]
    public async Task TeamBudget_AppliesToEveryKeyOfTheTeam()
    {
        var body = GovernanceFixtures.Body();
        var prompt = GovernanceFixtures.PromptTokens(body);
        var cost = GovernanceFixtures.Cost(prompt);
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("ok", prompt: (int)prompt, completion: GovernanceFixtures.MaxTokens));
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl));
        await gateway.Service<ITeamStore>().CreateAsync(new TeamRecord { TeamId = "t1", MaxBudget = cost * 3 }, CancellationToken.None);
        var (first, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { TeamId = "t1" });
        var (second, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { TeamId = "t1" });

        var statuses = new List<int>();
        foreach (var key in new[] { first, second, first, second })
            statuses.Add((int)(await GatewayCalls.PostChatAsync(gateway, body, key)).StatusCode);

        Assert.Equal([200, 200, 200, 429], statuses);
    }
}
