using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Testing.Browser;

/// <summary>
/// A real headless Chromium (Debian's <c>chromium</c>) driven over the DevTools protocol: navigate, run script in the
/// page, take a screenshot. No browser automation package is needed: the protocol is JSON over one WebSocket.
/// <see cref="FindExecutable"/> is null when no Chromium is installed; callers fail under CI=true and skip otherwise.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary><c>CHROMIUM_PATH</c>, else the first of chromium / chromium-browser / google-chrome on PATH.</summary>
    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } configured && File.Exists(configured))
            return configured;
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator) ?? [];
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => path.Select(dir => Path.Combine(dir, name))).FirstOrDefault(File.Exists);
    }

    public static async Task<HeadlessChromium> StartAsync(string executable, int width = 1280, int height = 900)
    {
        var profile = Path.Combine(Path.GetTempPath(), "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var process = Process.Start(new ProcessStartInfo(executable,
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0", $"--user-data-dir={profile}",
            $"--window-size={width},{height}", "about:blank",
        ])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Chromium writes its DevTools port to <c>DevToolsActivePort</c> in the profile; the page target is found through <c>/json/list</c>.</summary>
    private async Task ConnectAsync()
    {
        var portFile = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile)).Length < 1)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"chromium exited with code {_process.ExitCode}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("chromium did not open its DevTools port within 30 s");
            await Task.Delay(100);
        }
        var port = (await File.ReadAllLinesAsync(portFile))[0].Trim();
        using var http = new HttpClient();
        string? target = null;
        while (target is null)
        {
            var list = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
            target = list.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
            if (target is null)
                await Task.Delay(100);
        }
        await _socket.ConnectAsync(new Uri(target), CancellationToken.None);
        await SendAsync("Page.enable");
        await SendAsync("Runtime.enable");
    }

    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } error)
            throw new InvalidOperationException("page script failed: " + error.ToJsonString());
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Polls until <paramref name="condition"/> is true in the page; a deadline guards a page that never gets there.</summary>
    public async Task WaitForAsync(string condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while ((await EvaluateAsync($"!!({condition})"))?.GetValue<bool>() != true)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"page never satisfied: {condition}");
            await Task.Delay(100);
        }
    }

    public async Task SaveScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(result["data"]!.GetValue<string>()));
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = ++_nextId;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var reply = await ReceiveAsync(timeout.Token);
            if (reply["id"]?.GetValue<int>() != id)
                continue; // an event, or a reply to something else
            if (reply["error"] is { } error)
                throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
            return reply["result"] ?? new JsonObject();
        }
    }

    private async Task<JsonNode> ReceiveAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException("chromium closed the DevTools connection");
            buffer.Write(chunk, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(buffer.ToArray())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
