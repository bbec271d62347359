using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace LoadBench;

/// <summary>
/// A steady mix for a long time: plain, streaming, cached (a repeated prompt), failing upstream, and clients that
/// leave mid-stream. Gateway RSS and open descriptors are sampled (every 10 s by default); after warm-up (the first
/// fifth by default) the trend must be flat. At the end every request sent must have exactly one usage record.
/// </summary>
internal static class Soak
{
    public static async Task RunAsync(HttpClient client, string binary, string config, int fakePort, int gatewayPort, string master,
        Func<string, string?, bool, string, Action<HttpRequestMessage>?, string, HttpRequestMessage> chat, Action<string> print, TimeSpan duration, int rate, TimeSpan sampleEvery, double warmupFraction)
    {
        await using var fake = await FakeOpenAI.StartAsync(fakePort, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(10));
        await using var gateway = await ServerProcess.StartGatewayAsync(binary, config, gatewayPort);
        var key = await gateway.CreateGovernedKeyAsync(master);
        var url = gateway.BaseUrl + "/v1/chat/completions";
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        var sent = 0;
        var counts = new int[5];
        var samples = new List<(double Minutes, double RssMb, int Fds)>();
        var clock = Stopwatch.StartNew();
        var sampler = Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var (rss, _, fds) = gateway.Sample();
                lock (samples) samples.Add((clock.Elapsed.TotalMinutes, rss, fds));
                await Task.Delay(sampleEvery);
            }
        });
        var tasks = new List<Task>();
        var random = new Random(7);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var next = Stopwatch.GetTimestamp();
        while (clock.Elapsed < duration)
        {
            var kind = random.Next(5);
            counts[kind]++;
            sent++;
            var unique = Guid.NewGuid().ToString("N");
            tasks.Add(kind switch
            {
                0 => Drain(client, chat(url, key, false, "gpt-4o-mini", null, "plain " + unique)),
                1 => Drain(client, chat(url, key, true, "gpt-4o-mini", null, "stream " + unique)),
                2 => Drain(client, chat(url, key, false, "gpt-4o-mini", null, "the same cached question")),
                3 => Drain(client, chat(url, key, false, "broken", null, "fail " + unique)),
                _ => Abort(client, chat(url, key, true, "gpt-4o-mini", null, "abort " + unique)),
            });
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            if (tasks.Count > 5000)
            {
                await Task.WhenAll(tasks);
                tasks.Clear();
            }
        }
        await Task.WhenAll(tasks);
        await sampler;
        await Task.Delay(TimeSpan.FromSeconds(2)); // aborted streams finish their accounting
        var recorded = await CountRecordsAsync(client, gateway.BaseUrl, master, started);
        var warm = samples.Where(s => s.Minutes >= duration.TotalMinutes * warmupFraction).ToList();
        var (rssSlope, fdSlope) = (Slope(warm.Select(s => (s.Minutes, s.RssMb)).ToList()), Slope(warm.Select(s => (s.Minutes, (double)s.Fds)).ToList()));
        print($"\n## soak: {duration.TotalMinutes:0.#} min at {rate}/s — plain {counts[0]}, streaming {counts[1]}, cached {counts[2]}, failing upstream {counts[3]}, client aborts {counts[4]}\n");
        print("| minute | RSS MB | descriptors |\n|---|---|---|");
        foreach (var s in samples)
            print($"| {s.Minutes:0.0} | {s.RssMb:0.0} | {s.Fds} |");
        print($"\nafter warm-up: RSS trend {rssSlope:+0.00;-0.00} MB/min, descriptor trend {fdSlope:+0.00;-0.00}/min " +
              $"({(Math.Abs(rssSlope) < 1 && Math.Abs(fdSlope) < 5 ? "flat" : "GROWING")}); requests sent {sent}, usage records {recorded} " +
              $"({(recorded == sent ? "every request accounted for" : "MISMATCH")})");
    }

    private static async Task Drain(HttpClient client, HttpRequestMessage message)
    {
        try
        {
            using (message)
            using (var response = await client.SendAsync(message))
                await response.Content.ReadAsByteArrayAsync();
        }
        catch (HttpRequestException)
        {
        }
    }

    /// <summary>Reads the first chunk of a stream, then hangs up.</summary>
    private static async Task Abort(HttpClient client, HttpRequestMessage message)
    {
        try
        {
            using (message)
            using (var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead))
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
                await reader.ReadLineAsync();
            }
        }
        catch (HttpRequestException)
        {
        }
    }

    private static async Task<int> CountRecordsAsync(HttpClient client, string baseUrl, string master, DateTimeOffset since)
    {
        var total = 0;
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{baseUrl}/spend/logs?limit=1000&from={Uri.EscapeDataString(since.ToString("O"))}" +
                                                                     (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", master);
            using var response = await client.SendAsync(request);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            total += page["data"]!.AsArray().Count(r => r!["key_alias"]?.GetValue<string>() == "bench");
            token = page["next_page_token"]?.GetValue<string>();
        }
        while (token is not null);
        return total;
    }

    private static double Slope(List<(double X, double Y)> points)
    {
        if (points.Count < 2)
            return 0;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var den = points.Sum(p => (p.X - mx) * (p.X - mx));
        return den == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / den;
    }
}
