using System.Globalization;
using System.Text.Json;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>Virtual keys by hash (the secret itself is never stored), listable by team in creation order.</summary>
public sealed class SqliteKeyStore(SqliteDatabase db) : IKeyStore
{
    public Task<VirtualKeyRecord?> GetByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT body FROM keys WHERE key_hash=$h";
            command.Parameters.AddWithValue("$h", keyHash);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is string body ? Deserialize(body) : null;
        }, cancellationToken);

    public Task<bool> CreateAsync(VirtualKeyRecord key, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
            Execute(connection, transaction, "INSERT OR IGNORE INTO keys (key_hash, key_id, team_id, created_at, body) VALUES ($h,$id,$t,$c,$b)", key) == 1,
            cancellationToken);

    public Task<bool> UpdateAsync(VirtualKeyRecord key, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
            Execute(connection, transaction, "UPDATE keys SET key_id=$id, team_id=$t, body=$b WHERE key_hash=$h", key) == 1,
            cancellationToken);

    public Task<bool> DeleteAsync(string keyHash, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM keys WHERE key_hash=$h";
            command.Parameters.AddWithValue("$h", keyHash);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<KeyPage> ListAsync(string? teamId, int limit, string? pageToken, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            var (afterCreated, afterHash) = DecodeToken(pageToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT body, created_at, key_hash FROM keys WHERE (created_at > $c OR (created_at = $c AND key_hash > $h))" +
                                  (teamId is null ? "" : " AND team_id = $t") + " ORDER BY created_at, key_hash LIMIT $limit";
            command.Parameters.AddWithValue("$c", afterCreated);
            command.Parameters.AddWithValue("$h", afterHash);
            command.Parameters.AddWithValue("$limit", limit + 1);
            if (teamId is not null)
                command.Parameters.AddWithValue("$t", teamId);
            var keys = new List<(VirtualKeyRecord Key, long Created)>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                keys.Add((Deserialize(reader.GetString(0)), reader.GetInt64(1)));
            if (keys.Count <= limit)
                return new KeyPage(keys.Select(k => k.Key).ToList(), null);
            keys.RemoveAt(limit);
            return new KeyPage(keys.Select(k => k.Key).ToList(), $"{keys[^1].Created}|{keys[^1].Key.KeyHash}");
        }, cancellationToken);

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, VirtualKeyRecord key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$h", key.KeyHash);
        command.Parameters.AddWithValue("$id", key.KeyId);
        command.Parameters.AddWithValue("$t", (object?)key.TeamId ?? DBNull.Value);
        command.Parameters.AddWithValue("$c", key.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$b", JsonSerializer.Serialize(key, StorageJsonContext.Default.VirtualKeyRecord));
        return command.ExecuteNonQuery();
    }

    private static VirtualKeyRecord Deserialize(string body) =>
        JsonSerializer.Deserialize(body, StorageJsonContext.Default.VirtualKeyRecord)!;

    private static (long Created, string Hash) DecodeToken(string? token)
    {
        var bar = token?.IndexOf('|') ?? -1;
        return bar > 0 && long.TryParse(token.AsSpan(0, bar), NumberStyles.Integer, CultureInfo.InvariantCulture, out var created)
            ? (created, token![(bar + 1)..])
            : (long.MinValue, "");
    }
}
