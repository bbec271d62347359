using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>Cached responses; an expired row reads as a miss and is overwritten on the next put.</summary>
public sealed class SqliteResponseCacheStore(SqliteDatabase db, TimeProvider time) : IResponseCacheStore
{
    public Task<ReadOnlyMemory<byte>?> GetAsync(string cacheKey, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT value FROM cache WHERE cache_key=$k AND expires_at > $now";
            command.Parameters.AddWithValue("$k", cacheKey);
            command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
            var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
            return value is byte[] bytes ? (ReadOnlyMemory<byte>?)bytes : null;
        }, cancellationToken);

    public Task PutAsync(string cacheKey, ReadOnlyMemory<byte> value, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO cache (cache_key, value, expires_at) VALUES ($k,$v,$x) " +
                                  "ON CONFLICT (cache_key) DO UPDATE SET value=$v, expires_at=$x";
            command.Parameters.AddWithValue("$k", cacheKey);
            command.Parameters.AddWithValue("$v", value.ToArray());
            command.Parameters.AddWithValue("$x", expiresAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task DeleteAsync(string cacheKey, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM cache WHERE cache_key=$k";
            command.Parameters.AddWithValue("$k", cacheKey);
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
