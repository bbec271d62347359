using System.Diagnostics;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Streams are relayed chunk by chunk as the upstream produces them, and a departing client cancels the upstream call.</summary>
public sealed class StreamingBehaviourTests
{
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Chunks_ArriveWithUpstreamTiming_NotAtTheEnd()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => new FakeResponse
        {
            ContentType = "text/event-stream",
            Chunks =
            [
                new FakeChunk(OpenAIWire.Chunk("first"), TimeSpan.Zero),
                new FakeChunk(OpenAIWire.Chunk("second"), Gap),
                new FakeChunk(OpenAIWire.Chunk("third"), Gap),
            ],
        };
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true),
            completion: HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: {", StringComparison.Ordinal))
                arrivals.Add(clock.Elapsed);

        Assert.Equal(3, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= Gap * 0.75, $"second chunk came {arrivals[1] - arrivals[0]} after the first");
        Assert.True(arrivals[2] - arrivals[1] >= Gap * 0.75, $"third chunk came {arrivals[2] - arrivals[1]} after the second");
    }

    [Fact]
    public async Task ClientDisconnect_CancelsUpstreamAndRecordsUsage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => new FakeResponse
        {
            ContentType = "text/event-stream",
            Chunks = Enumerable.Range(0, 100).Select(i => new FakeChunk(OpenAIWire.Chunk($"w{i}"), TimeSpan.FromMilliseconds(100))).ToList(),
        };
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        await GatewayCalls.LeaveStreamAfterAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));

        await Eventually.TrueAsync(() => fake.AbortedRequests == 1, "upstream request was not cancelled");
        await Eventually.TrueAsync(async () => (await UsageRecords.AllAsync(gateway)).Count == 1, "no usage record for the aborted stream");
        var record = (await UsageRecords.AllAsync(gateway)).Single();
        Assert.Equal(499, record.HttpStatus);
        Assert.True(record.Stream);
    }
}

internal static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, string message) => TrueAsync(() => Task.FromResult(condition()), message);

    public static async Task TrueAsync(Func<Task<bool>> condition, string message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(50);
        }
        Assert.Fail(message);
    }
}
