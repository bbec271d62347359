namespace Gateway.Core.Storage;

/// <summary>Cached responses by request hash, each with an expiry the store enforces on read.</summary>
public interface IResponseCacheStore
{
    Task<ReadOnlyMemory<byte>?> GetAsync(string cacheKey, CancellationToken cancellationToken);
    Task PutAsync(string cacheKey, ReadOnlyMemory<byte> value, DateTimeOffset expiresAt, CancellationToken cancellationToken);
    Task DeleteAsync(string cacheKey, CancellationToken cancellationToken);
}
