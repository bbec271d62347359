using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>Readiness: the database file opens and answers a trivial query.</summary>
public sealed class SqliteStoreHealth(SqliteDatabase db) : IStoreHealth
{
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await db.ReadAsync(async (connection, ct) =>
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT 1";
                return Equals(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), 1L);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return false;
        }
    }
}
