using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;
using Gateway.Testing.Moto;

namespace Gateway.Tests.Storage.Contract;

/// <summary>The contract on the embedded SQLite store (a fresh file per test).</summary>
public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly List<string> _dirs = [];

    protected override Task<GatewayStores?> OpenAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "contract-" + Guid.NewGuid().ToString("N"));
        _dirs.Add(dir);
        return Task.FromResult<GatewayStores?>(SqliteStores.Open(dir, Clock));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var dir in _dirs)
            try { Directory.Delete(dir, true); } catch (IOException) { }
    }
}

/// <summary>The same contract on DynamoDB, through moto_server (a fresh table per test).</summary>
public sealed class DynamoDbStoreContractTests(MotoFixture moto) : StoreContractTests, IClassFixture<MotoFixture>
{
    protected override async Task<GatewayStores?> OpenAsync()
    {
        if (!moto.Server.Available)
            return null;
        return moto.Server.OpenStores(await moto.Server.CreateTableAsync(), Clock);
    }
}

public sealed class MotoFixture : IAsyncLifetime
{
    public MotoServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = new MotoServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
