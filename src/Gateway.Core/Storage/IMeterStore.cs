namespace Gateway.Core.Storage;

/// <summary>
/// Identifies one counter: an entity (<c>key:abc</c>, <c>team:t1</c>), what it counts (<c>spend</c>, <c>rpm</c>)
/// and the period it counts in (<c>2026-11-24</c>, <c>2026-11-24T10:05</c>).
/// </summary>
public readonly record struct MeterKey(string Entity, string Meter, string Period);

/// <summary>
/// A change to a meter. <see cref="Used"/> moves the total that limits are checked against (spent plus reserved);
/// <see cref="Reserved"/> moves the part of it that is still a reservation.
/// </summary>
public readonly record struct MeterDelta(decimal Used, decimal Reserved = 0)
{
    public static MeterDelta Reserve(decimal amount) => new(amount, amount);
    public static MeterDelta Settle(decimal reserved, decimal actual) => new(actual - reserved, -reserved);
    public static MeterDelta Release(decimal reserved) => new(-reserved, -reserved);
}

public readonly record struct MeterSnapshot(decimal Used, decimal Reserved)
{
    public decimal Spent => Used - Reserved;
}

/// <summary>
/// Budget and rate-limit counters. Every change is one atomic conditional update in the store
/// (never read-modify-write), so limits hold across any number of gateway instances.
/// </summary>
public interface IMeterStore
{
    /// <summary>Applies <paramref name="delta"/> only if the resulting used total stays within <paramref name="limit"/>.
    /// Returns whether it was applied and the used total afterwards (or the current one when refused).</summary>
    Task<MeterOutcome> TryApplyAsync(MeterKey key, MeterDelta delta, decimal limit, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="delta"/> unconditionally (settling and releasing reservations).</summary>
    Task ApplyAsync(MeterKey key, MeterDelta delta, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    Task<MeterSnapshot> GetAsync(MeterKey key, CancellationToken cancellationToken);
}

public readonly record struct MeterOutcome(bool Applied, decimal Used);
