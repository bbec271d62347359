using System.Diagnostics;

namespace LoadBench;

/// <summary>Per-run latency figures, in milliseconds, measured from each request's scheduled start.</summary>
internal sealed record RunResult(int Rate, int Sent, int Errors, double AchievedRate, double P50, double P90, double P99, double Max,
    double? TtftP50 = null, double? TtftP99 = null, double? GapMean = null)
{
    public static RunResult From(int rate, int sent, int errors, double seconds, List<double> latencies, List<double>? ttft, List<double>? gaps)
    {
        latencies.Sort();
        ttft?.Sort();
        return new RunResult(rate, sent, errors, (sent - errors) / seconds, P(latencies, 0.50), P(latencies, 0.90), P(latencies, 0.99),
            latencies.Count == 0 ? double.NaN : latencies[^1],
            ttft is { Count: > 0 } ? P(ttft, 0.50) : null, ttft is { Count: > 0 } ? P(ttft, 0.99) : null,
            gaps is { Count: > 0 } ? gaps.Average() : null);
    }

    private static double P(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}

/// <summary>
/// Open-loop load: request i is due at start + i/rate whether or not earlier ones have finished, and its latency is
/// counted from when it was due, so a slow server cannot hide its queueing (no coordinated omission).
/// </summary>
internal static class OpenLoop
{
    public static async Task<RunResult> RunAsync(HttpClient client, Func<HttpRequestMessage> request, bool stream, int rate, TimeSpan duration,
        CancellationToken cancellationToken = default)
    {
        var total = Math.Max(1, (int)(rate * duration.TotalSeconds));
        var latencies = new double[total];
        var ttfts = new double[total];
        var gaps = new double[total];
        var failed = new bool[total];
        var tasks = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < total)
        {
            var now = Stopwatch.GetTimestamp();
            while (next < total && start + (long)(next * (double)Stopwatch.Frequency / rate) <= now)
            {
                var i = next++;
                var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
                tasks.Add(Task.Run(() => OneAsync(client, request(), stream, due, i, latencies, ttfts, gaps, failed, cancellationToken), cancellationToken));
            }
            if (next < total)
                await Task.Delay(1, cancellationToken);
        }
        await Task.WhenAll(tasks);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var ok = Enumerable.Range(0, total).Where(i => !failed[i]).ToList();
        return RunResult.From(rate, total, failed.Count(f => f), seconds, ok.Select(i => latencies[i]).ToList(),
            stream ? ok.Select(i => ttfts[i]).ToList() : null, stream ? ok.Select(i => gaps[i]).Where(g => g >= 0).ToList() : null);
    }

    private static async Task OneAsync(HttpClient client, HttpRequestMessage message, bool stream, long due, int i, double[] latencies, double[] ttfts,
        double[] gaps, bool[] failed, CancellationToken cancellationToken)
    {
        try
        {
            using (message)
            using (var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken))
            {
                if (!response.IsSuccessStatusCode)
                {
                    failed[i] = true;
                    return;
                }
                if (!stream)
                {
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                }
                else
                {
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                    long first = 0, last = 0;
                    var chunks = 0;
                    var done = false;
                    while (await reader.ReadLineAsync(cancellationToken) is { } line)
                    {
                        if (!line.StartsWith("data: ", StringComparison.Ordinal))
                            continue;
                        if (line == "data: [DONE]")
                        {
                            done = true;
                            break;
                        }
                        var t = Stopwatch.GetTimestamp();
                        if (chunks++ == 0)
                            first = t;
                        last = t;
                    }
                    if (!done)
                    {
                        failed[i] = true;
                        return;
                    }
                    ttfts[i] = Stopwatch.GetElapsedTime(due, first).TotalMilliseconds;
                    gaps[i] = chunks > 1 ? Stopwatch.GetElapsedTime(first, last).TotalMilliseconds / (chunks - 1) : -1;
                }
            }
            latencies[i] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            failed[i] = true;
        }
    }
}
