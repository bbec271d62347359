using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LoadBench;

/// <summary>A server under test in its own process: the gateway (AOT or framework-dependent build) or the peer.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }
    public int Pid => _process.Id;

    /// <summary>Resident memory now and at its peak (VmRSS, VmHWM), in MB; open file descriptors.</summary>
    public (double RssMb, double PeakMb, int Fds) Sample()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Kb(string name) => double.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0]) / 1024;
        return (Kb("VmRSS"), Kb("VmHWM"), Directory.GetFiles($"/proc/{_process.Id}/fd").Length);
    }

    public static async Task<ServerProcess> StartGatewayAsync(string binary, string configYaml, int port)
    {
        var dir = Path.Combine(Path.GetTempPath(), "loadbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.yaml"), configYaml);
        var info = binary.EndsWith(".dll", StringComparison.Ordinal) ? new ProcessStartInfo("dotnet", [binary]) : new ProcessStartInfo(binary);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["GATEWAY_CONFIG"] = Path.Combine(dir, "config.yaml");
        info.Environment["GATEWAY_DATA_DIR"] = dir;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["GATEWAY_ROLE"] = "api"; // as on Lambda: no local rollup timer competing with the load
        var server = new ServerProcess(Launch(info), $"http://127.0.0.1:{port}");
        await server.WaitReadyAsync("/health/liveliness");
        return server;
    }

    /// <summary>Portkey's open-source gateway from npm (port 8787), as its README starts it.</summary>
    public static async Task<ServerProcess> StartPortkeyAsync()
    {
        var info = new ProcessStartInfo("npx", ["-y", "@portkey-ai/gateway"]);
        var server = new ServerProcess(Launch(info), "http://127.0.0.1:8787");
        await server.WaitReadyAsync("/", TimeSpan.FromMinutes(3));
        return server;
    }

    private static Process Launch(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitReadyAsync(string path, TimeSpan? within = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{_process.StartInfo.FileName} exited with {_process.ExitCode}");
            try
            {
                using var response = await http.GetAsync(BaseUrl + path);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{BaseUrl} did not come up");
    }

    /// <summary>Creates a virtual key with a budget and rate limits far above the load, so every check runs and none refuses.</summary>
    public async Task<string> CreateGovernedKeyAsync(string masterKey)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", masterKey);
        var response = await http.PostAsJsonAsync(BaseUrl + "/key/generate", new JsonObject
        {
            ["key_alias"] = "bench", ["max_budget"] = 1_000_000, ["budget_duration"] = "1mo", ["rpm_limit"] = 100_000_000, ["tpm_limit"] = 100_000_000_000,
        });
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["key"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
