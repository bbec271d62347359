using Gateway.Core.Storage;
using Gateway.Core.Usage;

namespace Gateway.Testing.Stores;

/// <summary>A usage store that refuses the first <paramref name="failures"/> writes (an outage), then delegates.</summary>
public sealed class FailingUsageStore(IUsageStore inner, int failures) : IUsageStore
{
    private int _remaining = failures;

    public Task AppendAsync(UsageRecord record, CancellationToken cancellationToken) =>
        Interlocked.Decrement(ref _remaining) >= 0 ? Task.FromException(new IOException("simulated store outage")) : inner.AppendAsync(record, cancellationToken);

    public Task<UsagePage> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? keyId, int limit, string? pageToken, CancellationToken cancellationToken) =>
        inner.QueryAsync(from, to, keyId, limit, pageToken, cancellationToken);

    public int DaySlices => inner.DaySlices;

    public IAsyncEnumerable<IReadOnlyList<UsageRecord>> ReadDaySliceAsync(DateOnly day, int slice, CancellationToken cancellationToken) =>
        inner.ReadDaySliceAsync(day, slice, cancellationToken);
}
