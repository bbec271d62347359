using System.Collections.Concurrent;

namespace Gateway.Core.Governance;

/// <summary>
/// A per-instance cache with a short time to live, so a key looked up on every request costs one store read per
/// TTL per instance, and a revoked or blocked key stops working within that TTL. Misses are cached too (as null),
/// so a flood of unknown keys cannot turn into a flood of store reads. Bounded: cleared when it grows past its cap.
/// </summary>
public sealed class TtlCache<TValue>(TimeSpan ttl, TimeProvider time, int capacity = 100_000) where TValue : class
{
    private readonly ConcurrentDictionary<string, (TValue? Value, long ExpiresAt)> _entries = new(StringComparer.Ordinal);

    public async ValueTask<TValue?> GetOrLoadAsync(string key, Func<string, CancellationToken, Task<TValue?>> load, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
            return entry.Value;
        var value = await load(key, cancellationToken).ConfigureAwait(false);
        if (_entries.Count >= capacity)
            _entries.Clear();
        _entries[key] = (value, now + ttl.Ticks);
        return value;
    }

    /// <summary>Drops an entry at once (this instance's own admin writes take effect immediately here).</summary>
    public void Invalidate(string key) => _entries.TryRemove(key, out _);
}
