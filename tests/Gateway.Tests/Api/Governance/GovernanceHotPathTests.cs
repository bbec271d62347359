using Gateway.Core.Storage;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using Gateway.Testing.Stores;

namespace Gateway.Tests.Api.Governance;

/// <summary>What governance costs a request: one parallel round of store calls before the provider, one after; and
/// what happens when the store is down (fail closed by default).</summary>
public sealed class GovernanceHotPathTests
{
    private static readonly TimeSpan StoreLatency = TimeSpan.FromMilliseconds(40);

    [Fact]
    public async Task CachedKey_WithBudgetAndLimits_CostsOneParallelStoreRoundBeforeAndOneAfter()
    {
        await using var fake = await FakeUpstream.StartAsync();
        RecordingMeterStore? meters = null;
        TimeSpan upstreamCalledAt = default;
        fake.Respond = _ =>
        {
            upstreamCalledAt = meters!.Clock.Elapsed;
            return FakeResponse.Json(OpenAIWire.Completion("ok"));
        };
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl),
            decorateStores: s => s with { Meters = meters = new RecordingMeterStore(s.Meters, StoreLatency) });
        var (raw, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { MaxBudget = 10, RpmLimit = 100, TpmLimit = 100_000 });
        (await GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), raw)).Dispose();
        await Eventually.TrueAsync(() => meters!.Calls.Count == 5, "first request did not finish settling");
        meters!.Calls.Clear();

        using var response = await GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), raw);

        Assert.Equal(200, (int)response.StatusCode);
        var calls = meters.Calls.ToList();
        var before = calls.Where(c => c.End <= upstreamCalledAt).ToList();
        var after = calls.Where(c => c.Start >= upstreamCalledAt).ToList();
        Assert.Equal(3, before.Count);
        Assert.All(before, c => Assert.Equal("try", c.Operation));
        Assert.True(before.Max(c => c.Start) < before.Min(c => c.End), "admission calls were not issued in parallel");
        Assert.Equal(2, after.Count);
        Assert.True(after.Max(c => c.Start) < after.Min(c => c.End), "settlement calls were not issued in parallel");
        Assert.Equal(calls.Count, before.Count + after.Count);
    }

    [Fact]
    public async Task StoreDown_RefusesGovernedRequestsWith503_ByDefault()
    {
        await using var fake = await FakeUpstream.StartAsync();
        RecordingMeterStore? meters = null;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl),
            decorateStores: s => s with { Meters = meters = new RecordingMeterStore(s.Meters, TimeSpan.Zero) });
        var (raw, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { MaxBudget = 10 });
        meters!.Down = true;

        using var response = await GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), raw);

        await ErrorAssertions.AssertEnvelopeAsync(response, 503, "store_unavailable");
        Assert.Equal(0, fake.Calls);
        meters.Down = false;
        using var recovered = await GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), raw);
        Assert.Equal(200, (int)recovered.StatusCode);
    }

    [Fact]
    public async Task StoreDown_WithFailureModeOpen_LetsRequestsThrough()
    {
        await using var fake = await FakeUpstream.StartAsync();
        RecordingMeterStore? meters = null;
        await using var gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(fake.BaseUrl, "gateway_settings:\n  store_failure_mode: open"),
            decorateStores: s => s with { Meters = meters = new RecordingMeterStore(s.Meters, TimeSpan.Zero) });
        var (raw, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { MaxBudget = 10 });
        meters!.Down = true;

        using var response = await GatewayCalls.PostChatAsync(gateway, GovernanceFixtures.Body(), raw);

        Assert.Equal(200, (int)response.StatusCode);
    }
}
