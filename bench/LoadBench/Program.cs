using System.Globalization;
using System.Net;
using System.Text;
using LoadBench;

// Usage (from the repo root; see README "Benchmarks"):
//   dotnet run -c Release --project bench/LoadBench -- load  [--rates 100,500,1000,2000] [--seconds 10] [--gateway artifacts/lambda/bootstrap] [--no-portkey]
//   dotnet run -c Release --project bench/LoadBench -- streams [--count 1000]
//   dotnet run -c Release --project bench/LoadBench -- soak [--minutes 10] [--rate 100] [--sample-seconds 10] [--warmup 0.2]
var root = AppContext.BaseDirectory;
while (!File.Exists(Path.Combine(root, "Functions.sln")))
    root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("run from inside the repository");
Directory.SetCurrentDirectory(root);
var command = args.FirstOrDefault() ?? "load";
string Option(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
var gatewayBinary = Option("--gateway", "artifacts/lambda/bootstrap");
const string Master = "sk-bench-master-0123456789";
const int FakePort = 19001, GatewayPort = 19002;
var output = new StringBuilder();
void Print(string line)
{
    Console.WriteLine(line);
    output.AppendLine(line);
}

var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4096, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    Timeout = TimeSpan.FromSeconds(60),
};
Print($"# {command} on {Environment.ProcessorCount} cores, {Environment.OSVersion.Platform} {System.Runtime.InteropServices.RuntimeInformation.OSArchitecture}, " +
      $"{DateTime.UtcNow:yyyy-MM-dd HH:mm}Z; gateway {gatewayBinary}; load generator and fake upstream in this process");

string Config(bool cache) => $"""
    model_list:
      - model_name: gpt-4o-mini
        litellm_params: {"{"} model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:{FakePort}/v1", api_key: sk-bench-upstream {"}"}
      - model_name: broken
        litellm_params: {"{"} model: openai/broken, api_base: "http://127.0.0.1:{FakePort}/missing/v1", api_key: sk-bench-upstream {"}"}
    general_settings:
      master_key: {Master}
    router_settings:
      num_retries: 0
      allowed_fails: 1000000
    litellm_settings:
      cache: {(cache ? "true" : "false")}
    """;

HttpRequestMessage Chat(string url, string? key, bool stream, string model = "gpt-4o-mini", Action<HttpRequestMessage>? extra = null, string prompt = "Say hello")
{
    var body = $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{prompt}}"}]}""";
    var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json"), Version = HttpVersion.Version11 };
    if (key is not null)
        message.Headers.Authorization = new("Bearer", key);
    extra?.Invoke(message);
    return message;
}

switch (command)
{
    case "load":
        await LoadAsync();
        break;
    case "streams":
        await StreamsAsync(int.Parse(Option("--count", "1000"), CultureInfo.InvariantCulture));
        break;
    case "soak":
        await Soak.RunAsync(client, gatewayBinary, Config(cache: true), FakePort, GatewayPort, Master, Chat, Print,
            TimeSpan.FromMinutes(double.Parse(Option("--minutes", "10"), CultureInfo.InvariantCulture)), int.Parse(Option("--rate", "100"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Option("--sample-seconds", "10"), CultureInfo.InvariantCulture)),
            double.Parse(Option("--warmup", "0.2"), CultureInfo.InvariantCulture));
        break;
    default:
        Console.Error.WriteLine("commands: load | streams | soak");
        return 2;
}
Directory.CreateDirectory("bench/results");
File.WriteAllText($"bench/results/{command}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.md", output.ToString());
return 0;

async Task LoadAsync()
{
    var rates = Option("--rates", "100,500,1000,2000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
    var seconds = TimeSpan.FromSeconds(double.Parse(Option("--seconds", "10"), CultureInfo.InvariantCulture));
    var withPortkey = !args.Contains("--no-portkey");
    await using var gateway = await ServerProcess.StartGatewayAsync(gatewayBinary, Config(cache: false), GatewayPort);
    var governed = await gateway.CreateGovernedKeyAsync(Master);
    ServerProcess? portkey = null;
    if (withPortkey)
    {
        try { portkey = await ServerProcess.StartPortkeyAsync(); }
        catch (Exception e) { Print($"portkey unavailable: {e.Message}"); }
    }
    var fakeBase = $"http://127.0.0.1:{FakePort}";
    var targets = new List<(string Name, Func<bool, HttpRequestMessage> Make)>
    {
        ("direct", s => Chat(fakeBase + "/v1/chat/completions", "sk-bench-upstream", s)),
        ("gateway", s => Chat(gateway.BaseUrl + "/v1/chat/completions", Master, s)),
        ("gateway+gov", s => Chat(gateway.BaseUrl + "/v1/chat/completions", governed, s)),
    };
    if (portkey is not null)
        targets.Add(("portkey", s => Chat(portkey.BaseUrl + "/v1/chat/completions", "sk-bench-upstream", s, extra: m =>
        {
            m.Headers.Add("x-portkey-provider", "openai");
            m.Headers.Add("x-portkey-custom-host", fakeBase + "/v1");
        })));

    foreach (var (latencyMs, stream) in new[] { (0, false), (60, false), (60, true) })
    {
        await using var fake = await FakeOpenAI.StartAsync(FakePort, TimeSpan.FromMilliseconds(latencyMs), TimeSpan.FromMilliseconds(stream ? 20 : 0));
        Print($"\n## {(stream ? "streaming (8 chunks, 20 ms apart)" : "plain")}, upstream latency {latencyMs} ms, {seconds.TotalSeconds:0} s per rate\n");
        Print(stream
            ? "| rate | target | achieved/s | errors | TTFT p50 | TTFT p99 | mean chunk gap | total p99 | TTFT overhead p50 / p99 |"
            : "| rate | target | achieved/s | errors | p50 | p90 | p99 | max | overhead p50 / p99 |");
        Print(stream ? "|---|---|---|---|---|---|---|---|---|" : "|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, make) in targets)
            await OpenLoop.RunAsync(client, () => make(stream), stream, 100, TimeSpan.FromSeconds(2)); // warm-up
        var sustained = targets.ToDictionary(t => t.Name, _ => 0);
        foreach (var rate in rates)
        {
            RunResult? direct = null;
            foreach (var (name, make) in targets)
            {
                var r = await OpenLoop.RunAsync(client, () => make(stream), stream, rate, seconds);
                direct ??= r;
                if (!stream && r.Errors == 0 && r.P99 < 50 + latencyMs && r.AchievedRate >= rate * 0.95)
                    sustained[name] = rate;
                Print(stream
                    ? $"| {rate} | {name} | {r.AchievedRate:0} | {r.Errors} | {r.TtftP50:0.00} | {r.TtftP99:0.00} | {r.GapMean:0.00} | {r.P99:0.0} | " +
                      (name == "direct" ? "—" : $"{r.TtftP50 - direct.TtftP50:+0.00;-0.00} / {r.TtftP99 - direct.TtftP99:+0.00;-0.00}") + " |"
                    : $"| {rate} | {name} | {r.AchievedRate:0} | {r.Errors} | {r.P50:0.00} | {r.P90:0.00} | {r.P99:0.00} | {r.Max:0.0} | " +
                      (name == "direct" ? "—" : $"{r.P50 - direct.P50:+0.00;-0.00} / {r.P99 - direct.P99:+0.00;-0.00}") + " |");
            }
        }
        if (!stream)
            Print("\nhighest rate sustained with no errors, ≥95% of the rate and p99 under 50 ms over the upstream's latency: " +
                  string.Join(", ", sustained.Select(s => $"{s.Key} {s.Value}/s")));
        var (rss, peak, fds) = gateway.Sample();
        Print($"\ngateway memory after this scenario: RSS {rss:0} MB, peak {peak:0} MB, {fds} open descriptors");
    }
    if (portkey is not null)
        await portkey.DisposeAsync();
}

async Task StreamsAsync(int count)
{
    await using var fake = await FakeOpenAI.StartAsync(FakePort, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
    await using var gateway = await ServerProcess.StartGatewayAsync(gatewayBinary, Config(cache: false), GatewayPort);
    var governed = args.Contains("--master") ? Master : await gateway.CreateGovernedKeyAsync(Master);
    var before = gateway.Sample();
    var result = await OpenLoop.RunAsync(client, () => Chat(gateway.BaseUrl + "/v1/chat/completions", governed, true), true, count * 2, TimeSpan.FromSeconds(0.5));
    var after = gateway.Sample();
    Print($"\n## {result.Sent} concurrent streams ({(governed == Master ? "master key" : "governed key")}; each ~4 s: 8 chunks 500 ms apart)\n");
    Print($"errors {result.Errors}; TTFT p50 {result.TtftP50:0.0} ms, p99 {result.TtftP99:0.0} ms; gateway RSS before {before.RssMb:0} MB, " +
          $"peak during {after.PeakMb:0} MB, after {after.RssMb:0} MB; descriptors {after.Fds}");
}
