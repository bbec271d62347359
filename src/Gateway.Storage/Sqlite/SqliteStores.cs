using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>Opens the embedded store and every SQLite implementation over it.</summary>
public static class SqliteStores
{
    public static GatewayStores Open(string dataDir, TimeProvider time, TimeSpan? usageRetention = null)
    {
        var db = SqliteDatabase.Open(dataDir);
        return new GatewayStores(
            new SqliteUsageStore(db, usageRetention ?? TimeSpan.FromDays(90), time),
            new SqliteMeterStore(db, time),
            new SqliteResponseCacheStore(db, time),
            new SqliteKeyStore(db),
            new SqliteTeamStore(db),
            new SqliteCustomerStore(db),
            new SqliteRollupStore(db),
            new SqliteStoreHealth(db),
            "sqlite:" + db.Path,
            db);
    }
}
