namespace Gateway.Core.Storage;

/// <summary>A virtual key as stored: only the SHA-256 hash of the secret, never the secret.</summary>
public sealed record VirtualKeyRecord
{
    /// <summary>Hex SHA-256 of the full key.</summary>
    public required string KeyHash { get; init; }
    /// <summary>Short public id (a prefix of the hash) used in logs, usage records and the admin API.</summary>
    public required string KeyId { get; init; }
    public string? KeyAlias { get; init; }
    public string? TeamId { get; init; }
    public string? UserId { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];
    public decimal? MaxBudget { get; init; }
    public decimal? SoftBudget { get; init; }
    public string? BudgetDuration { get; init; }
    public int? RpmLimit { get; init; }
    public long? TpmLimit { get; init; }
    public int? MaxParallelRequests { get; init; }
    public DateTimeOffset? Expires { get; init; }
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool Blocked { get; init; }
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();
    /// <summary><c>llm</c>, <c>reports</c> or <c>admin</c>.</summary>
    public string Permissions { get; init; } = "llm";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Virtual keys by hash, and by team for listing.</summary>
public interface IKeyStore
{
    Task<VirtualKeyRecord?> GetByHashAsync(string keyHash, CancellationToken cancellationToken);
    /// <summary>Creates the key; returns false if one with the same hash exists.</summary>
    Task<bool> CreateAsync(VirtualKeyRecord key, CancellationToken cancellationToken);
    /// <summary>Replaces an existing key; returns false if it does not exist.</summary>
    Task<bool> UpdateAsync(VirtualKeyRecord key, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string keyHash, CancellationToken cancellationToken);
    Task<KeyPage> ListAsync(string? teamId, int limit, string? pageToken, CancellationToken cancellationToken);
}

public sealed record KeyPage(IReadOnlyList<VirtualKeyRecord> Keys, string? NextPageToken);
