using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;

namespace Gateway.Storage;

/// <summary>Opens the configured backend. The embedded SQLite file is the default, so a first run needs nothing.</summary>
public static class StoreFactory
{
    public static GatewayStores Open(StoreSettings settings, TimeProvider time) => settings.Kind switch
    {
        StoreSettings.Sqlite => SqliteStores.Open(settings.DataDir ?? Path.Combine(Directory.GetCurrentDirectory(), ".gateway"), time, settings.UsageRetention),
        StoreSettings.DynamoDb => DynamoDb.DynamoDbStores.Create(settings, time),
        _ => throw new InvalidOperationException($"Store '{settings.Kind}' is not available in this build."),
    };
}
