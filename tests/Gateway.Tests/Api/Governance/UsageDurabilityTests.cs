using Gateway.Testing.Hosting;
using Gateway.Testing.Stores;

namespace Gateway.Tests.Api.Governance;

/// <summary>An accepted request's usage record survives a store that refuses writes.</summary>
public sealed class UsageDurabilityTests
{
    [Fact]
    public async Task BriefStoreOutage_RecordIsWrittenOnRetry()
    {
        await using var gateway = await TestGateway.StartAsync(decorateStores: s => s with { Usage = new FailingUsageStore(s.Usage, 2) });
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: null);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Single(await UsageRecords.AllAsync(gateway));
    }

    [Fact]
    public async Task LongStoreOutage_RecordIsSpooledToTheLogAsJson()
    {
        await using var gateway = await TestGateway.StartAsync(decorateStores: s => s with { Usage = new FailingUsageStore(s.Usage, 100) });
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: null);
        Assert.Equal(200, (int)response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("usage_spooled") && l.Contains($"\"request_id\":\"{requestId}\""));
    }
}
