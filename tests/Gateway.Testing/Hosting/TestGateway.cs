using Gateway.Api.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Testing.Hosting;

/// <summary>
/// The real gateway host on 127.0.0.1 and a free port, with its own temporary data directory, driven over
/// real HTTP exactly as clients drive it. Its log lines are captured for inspection.
/// </summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, string dataDir, LogCapture logs)
    {
        _app = app;
        DataDir = dataDir;
        Logs = logs;
    }

    public string BaseUrl { get; private set; } = "";
    public string DataDir { get; }
    public LogCapture Logs { get; }
    public IServiceProvider Services => _app.Services;
    public HttpClient Http { get; private set; } = null!;

    public static async Task<TestGateway> StartAsync(string? configYaml = null, IReadOnlyDictionary<string, string>? environment = null,
        Func<Gateway.Core.Storage.GatewayStores, Gateway.Core.Storage.GatewayStores>? decorateStores = null,
        Func<Gateway.Core.Configuration.ISecretResolver>? secretResolver = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "gateway-test-" + Guid.NewGuid().ToString("N"));
        var logs = new LogCapture();
        var env = environment ?? new Dictionary<string, string>();
        var app = GatewayApp.Create(new GatewayHostOptions
        {
            ConfigYaml = configYaml,
            DataDir = dataDir,
            Urls = "http://127.0.0.1:0",
            Environment = name => env.TryGetValue(name, out var v) ? v : null,
            ConfigureLogging = logging => logging.AddProvider(logs),
            DecorateStores = decorateStores,
            SecretResolver = secretResolver,
        });
        await app.StartAsync();
        var gateway = new TestGateway(app, dataDir, logs);
        gateway.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        gateway.Http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        return gateway;
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
