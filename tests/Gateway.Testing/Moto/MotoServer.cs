using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Gateway.Core.Storage;
using Gateway.Storage.DynamoDb;

namespace Gateway.Testing.Moto;

/// <summary>
/// moto's server (DynamoDB's wire protocol, offline) on a free loopback port for one test class; each call to
/// <see cref="CreateTableAsync"/> gets a fresh table. With CI=true a missing moto_server fails the tests, never skips them.
/// </summary>
public sealed class MotoServer : IAsyncDisposable
{
    public static readonly AWSCredentials Credentials = new BasicAWSCredentials("testing", "testing");
    private Process? _process;

    public MotoServer()
    {
        Port = FreePort();
        Start();
    }

    /// <summary>Kills the server (a store outage); <see cref="Start"/> brings an empty one back on the same port.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Start()
    {
        try
        {
            _process = Process.Start(new ProcessStartInfo("python3", [LauncherPath(), "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
        }
        catch (System.ComponentModel.Win32Exception) when (Environment.GetEnvironmentVariable("CI") != "true")
        {
            _process = null;
        }
        if (_process is not null)
        {
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            WaitUntilListening();
        }
    }

    public int Port { get; }
    public string Endpoint => $"http://127.0.0.1:{Port}";
    /// <summary>False only outside CI when moto_server is not installed; tests then return early.</summary>
    public bool Available => _process is not null;

    public StoreSettings Settings(string table) => new()
    {
        Kind = StoreSettings.DynamoDb,
        DynamoDbTable = table,
        DynamoDbEndpoint = Endpoint,
        Region = "us-east-1",
    };

    public async Task<string> CreateTableAsync(string? name = null)
    {
        name ??= "gateway-" + Guid.NewGuid().ToString("N")[..12];
        using var client = new AmazonDynamoDBClient(Credentials, new AmazonDynamoDBConfig { ServiceURL = Endpoint, AuthenticationRegion = "us-east-1" });
        await client.CreateTableAsync(DynamoDbTableSchema.CreateTableRequest(name));
        return name;
    }

    public GatewayStores OpenStores(string table, TimeProvider time) => DynamoDbStores.Create(Settings(table), time, Credentials);

    /// <summary>Creates or replaces a Secrets Manager secret on moto (signed JSON-1.1 calls, as the AWS CLI makes them).</summary>
    public async Task PutSecretAsync(string name, string value)
    {
        using var http = new HttpClient(new Amazon.Runtime.Signing.SigV4SigningHandler(Credentials, Amazon.RegionEndpoint.USEast1, "secretsmanager",
            new HttpClientHandler()));
        var create = await CallAsync(http, "CreateSecret", new System.Text.Json.Nodes.JsonObject { ["Name"] = name, ["SecretString"] = value });
        if (create.StatusCode != HttpStatusCode.OK)
        {
            var put = await CallAsync(http, "PutSecretValue", new System.Text.Json.Nodes.JsonObject { ["SecretId"] = name, ["SecretString"] = value });
            put.EnsureSuccessStatusCode();
        }
    }

    private async Task<HttpResponseMessage> CallAsync(HttpClient http, string action, System.Text.Json.Nodes.JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint + "/")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager." + action);
        return await http.SendAsync(request);
    }

    /// <summary>An SSM-backed secret resolver pointed at this server.</summary>
    public Gateway.Storage.Secrets.SsmSecretResolver SecretResolver() =>
        Gateway.Storage.Secrets.SsmSecretResolver.Create(name => name == "GATEWAY_SSM_ENDPOINT" ? Endpoint : name == "AWS_REGION" ? "us-east-1" : null, Credentials);

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}.");
            try
            {
                using var socket = new TcpClient();
                socket.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        throw new TimeoutException("moto_server did not start listening within 30 s.");
    }

    /// <summary>
    /// moto_server's own app, served with one request at a time. moto's DynamoDB models take no item locks, so under
    /// its threaded server two conditional updates of one item can both pass (seen: 51 admitted for a limit of 50).
    /// Real DynamoDB serialises writes per item; serialising requests here gives the fake that same guarantee.
    /// </summary>
    private const string Launcher = """
        import sys, threading
        from werkzeug.serving import run_simple
        from moto.server import DomainDispatcherApplication, create_backend_app
        app = DomainDispatcherApplication(create_backend_app)
        lock = threading.Lock()
        def serial(environ, start_response):
            with lock:
                return list(app(environ, start_response))
        run_simple(sys.argv[1], int(sys.argv[2]), serial, threaded=True)
        """;

    private static string LauncherPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "gateway-serial-moto.py");
        File.WriteAllText(path, Launcher);
        return path;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
