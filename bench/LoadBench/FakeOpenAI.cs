using System.Text;

namespace LoadBench;

/// <summary>An OpenAI-shaped upstream with a fixed latency: a plain completion after the delay, or an SSE stream whose
/// first chunk comes after the delay and the rest every <c>chunkGap</c>. Minimal work per request, so the harness
/// measures the proxy in front of it, not the fake.</summary>
internal static class FakeOpenAI
{
    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1732000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench upstream.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}""");

    private static byte[] Chunk(string content) => Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n");

    private static readonly byte[][] Chunks = [.. Enumerable.Range(0, 8).Select(i => Chunk($"w{i} "))];
    private static readonly byte[] Finish = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}\n\ndata: [DONE]\n\n");

    public static async Task<WebApplication> StartAsync(int port, TimeSpan latency, TimeSpan chunkGap)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (latency > TimeSpan.Zero)
                await Task.Delay(latency);
            if (!body.Contains("\"stream\":true", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = Completion.Length;
                await context.Response.Body.WriteAsync(Completion);
                return;
            }
            context.Response.ContentType = "text/event-stream";
            foreach (var chunk in Chunks)
            {
                await context.Response.Body.WriteAsync(chunk);
                await context.Response.Body.FlushAsync();
                if (chunkGap > TimeSpan.Zero)
                    await Task.Delay(chunkGap);
            }
            await context.Response.Body.WriteAsync(Finish);
        });
        await app.StartAsync();
        return app;
    }
}
