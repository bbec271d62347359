using System.Globalization;
using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>
/// Budget and rate counters. Each change reads and writes the row inside one IMMEDIATE transaction under the
/// store's write lock, so concurrent reservations can never pass a limit together.
/// </summary>
public sealed class SqliteMeterStore(SqliteDatabase db, TimeProvider time) : IMeterStore
{
    public Task<MeterOutcome> TryApplyAsync(MeterKey key, MeterDelta delta, decimal limit, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            var current = Read(connection, transaction, key);
            var used = current.Used + delta.Used;
            if (used > limit)
                return new MeterOutcome(false, current.Used);
            Write(connection, transaction, key, new MeterSnapshot(used, current.Reserved + delta.Reserved), expiresAt);
            return new MeterOutcome(true, used);
        }, cancellationToken);

    public Task ApplyAsync(MeterKey key, MeterDelta delta, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        db.WriteAsync((connection, transaction) =>
        {
            var current = Read(connection, transaction, key);
            Write(connection, transaction, key, new MeterSnapshot(current.Used + delta.Used, current.Reserved + delta.Reserved), expiresAt);
            return 0;
        }, cancellationToken);

    public Task<MeterSnapshot> GetAsync(MeterKey key, CancellationToken cancellationToken) =>
        db.ReadAsync((connection, _) => Task.FromResult(Read(connection, null, key)), cancellationToken);

    private MeterSnapshot Read(SqliteConnection connection, SqliteTransaction? transaction, MeterKey key)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT used, reserved FROM meters WHERE entity=$e AND meter=$m AND period=$p AND expires_at > $now";
        Bind(command, key);
        command.Parameters.AddWithValue("$now", time.GetUtcNow().ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        return reader.Read() ? new MeterSnapshot(Parse(reader.GetString(0)), Parse(reader.GetString(1))) : default;
    }

    private static void Write(SqliteConnection connection, SqliteTransaction transaction, MeterKey key, MeterSnapshot value, DateTimeOffset expiresAt)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meters (entity, meter, period, used, reserved, expires_at) VALUES ($e,$m,$p,$u,$r,$x) " +
                              "ON CONFLICT (entity, meter, period) DO UPDATE SET used=$u, reserved=$r, expires_at=$x";
        Bind(command, key);
        command.Parameters.AddWithValue("$u", value.Used.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$r", value.Reserved.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$x", expiresAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, MeterKey key)
    {
        command.Parameters.AddWithValue("$e", key.Entity);
        command.Parameters.AddWithValue("$m", key.Meter);
        command.Parameters.AddWithValue("$p", key.Period);
    }

    private static decimal Parse(string s) => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture);
}
