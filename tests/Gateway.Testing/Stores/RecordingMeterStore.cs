using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Core.Storage;

namespace Gateway.Testing.Stores;

/// <summary>A meter store decorator that records when each call starts and ends, adds latency like a network store,
/// and can be made to fail (an outage), so tests can see how many store rounds a request costs.</summary>
public sealed class RecordingMeterStore(IMeterStore inner, TimeSpan latency) : IMeterStore
{
    public ConcurrentQueue<(string Operation, MeterKey Key, TimeSpan Start, TimeSpan End)> Calls { get; } = new();
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public volatile bool Down;

    public Task<MeterOutcome> TryApplyAsync(MeterKey key, MeterDelta delta, decimal limit, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        RecordAsync("try", key, () => inner.TryApplyAsync(key, delta, limit, expiresAt, cancellationToken));

    public Task ApplyAsync(MeterKey key, MeterDelta delta, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        RecordAsync("apply", key, async () =>
        {
            await inner.ApplyAsync(key, delta, expiresAt, cancellationToken);
            return 0;
        });

    public Task<MeterSnapshot> GetAsync(MeterKey key, CancellationToken cancellationToken) =>
        RecordAsync("get", key, () => inner.GetAsync(key, cancellationToken));

    private async Task<T> RecordAsync<T>(string operation, MeterKey key, Func<Task<T>> call)
    {
        var start = Clock.Elapsed;
        await Task.Delay(latency);
        if (Down)
            throw new IOException("simulated store outage");
        var result = await call();
        Calls.Enqueue((operation, key, start, Clock.Elapsed));
        return result;
    }
}
