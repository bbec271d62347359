using System.Diagnostics;
using System.Text;
using Gateway.Core.Storage;
using Gateway.Tests.Api;
using Gateway.Tests.Api.Governance;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using Gateway.Testing.Moto;

namespace Gateway.Tests.Hardening;

/// <summary>Faults the gateway must ride out: a slow-drip upstream, the store going away mid-run (moto killed and
/// restarted) and a throttling store. It answers within its timeouts with the right errors, recovers when the fault
/// ends, and accounts for every request it accepted.</summary>
public sealed class FaultTests
{
    private static FakeResponse Drip(string contentType, string text) => new()
    {
        ContentType = contentType,
        RawParts = Encoding.UTF8.GetBytes(text).Select(b => (new[] { b }, TimeSpan.FromSeconds(1))).ToList(),
    };

    [Fact]
    public async Task SlowDripUpstream_TimesOutWithA504_PlainAndStreaming()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => r.Json!["stream"]?.GetValue<bool>() == true
            ? Drip("text/event-stream", "data: " + OpenAIWire.Chunk("never finished") + "\n\n")
            : Drip("application/json", OpenAIWire.Completion("never finished"));
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl, extraParams: "      timeout: 2\n      stream_timeout: 2"));

        var clock = Stopwatch.StartNew();
        using var plain = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        var plainElapsed = clock.Elapsed;
        using var streamed = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));

        await ErrorAssertions.AssertEnvelopeAsync(plain, 504, "upstream_timeout");
        await ErrorAssertions.AssertEnvelopeAsync(streamed, 504, "upstream_timeout");
        Assert.True(plainElapsed < TimeSpan.FromSeconds(10), $"took {plainElapsed}");
        Assert.Equal(2, (await UsageRecords.AllAsync(gateway)).Count(r => r.HttpStatus == 504));
    }

    [Fact]
    public async Task StoreKilledMidRun_GovernedRequestsGet503_RecordsAreSpooled_AndItRecovers()
    {
        await using var moto = new MotoServer();
        if (!moto.Available) return;
        var table = await moto.CreateTableAsync();
        await using var gateway = await TestGateway.StartAsync("""
            model_list:
              - model_name: mock-gpt
                litellm_params: { model: mock/gpt }
            general_settings:
              master_key: sk-test-master-0123456789
            """, decorateStores: _ => moto.OpenStores(table, TimeProvider.System));
        var (governed, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { MaxBudget = 5m });
        var authenticated = 0;
        async Task<int> SendAsync(string key)
        {
            using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: key);
            authenticated++;
            return (int)response.StatusCode;
        }

        Assert.Equal(200, await SendAsync(governed));
        moto.Stop();
        var master = await SendAsync(Configs.MasterKey);
        var refused = await SendAsync(governed);
        moto.Start();
        await moto.CreateTableAsync(table);
        var (fresh, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { MaxBudget = 5m });
        var recovered = await SendAsync(fresh);

        Assert.Equal((200, 503, 200), (master, refused, recovered));
        var spooled = gateway.Logs.Lines.Count(l => l.Contains("usage_spooled", StringComparison.Ordinal));
        var stored = (await UsageRecords.AllAsync(gateway)).Count;
        // Every authenticated request (the refusal too) left a record: stored, or spooled to the log while the store was
        // down. The first one was stored in the moto process that was killed, and went down with its memory.
        Assert.Equal(authenticated, spooled + stored + 1);
        Assert.True(spooled >= 1, "the record written during the outage was neither stored nor spooled");
    }

    [Fact]
    public async Task ThrottlingStore_RefusesGovernedRequestsBriefly_ThenRecovers()
    {
        var throttled = 3;
        await using var gateway = await TestGateway.StartAsync(decorateStores: s => s with { Meters = new ThrottlingMeterStore(s.Meters, () => Interlocked.Decrement(ref throttled) >= 0) });
        var (key, _) = await GovernanceFixtures.CreateKeyAsync(gateway, k => k with { RpmLimit = 1000 });

        using var first = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: key);
        await ErrorAssertions.AssertEnvelopeAsync(first, 503, "store_unavailable");
        Assert.NotNull(first.Headers.RetryAfter);
        await Eventually.TrueAsync(async () =>
        {
            using var retry = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: key);
            return retry.IsSuccessStatusCode;
        }, "the gateway did not recover after throttling ended");
    }

    private sealed class ThrottlingMeterStore(IMeterStore inner, Func<bool> throttle) : IMeterStore
    {
        private static Exception Throttled() => new Amazon.DynamoDBv2.Model.ProvisionedThroughputExceededException("Rate of requests exceeds the allowed throughput.");

        public Task<MeterOutcome> TryApplyAsync(MeterKey key, MeterDelta delta, decimal limit, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            throttle() ? Task.FromException<MeterOutcome>(Throttled()) : inner.TryApplyAsync(key, delta, limit, expiresAt, cancellationToken);

        public Task ApplyAsync(MeterKey key, MeterDelta delta, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            inner.ApplyAsync(key, delta, expiresAt, cancellationToken);

        public Task<MeterSnapshot> GetAsync(MeterKey key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);
    }
}
