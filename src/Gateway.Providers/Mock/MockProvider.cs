using System.Runtime.CompilerServices;
using System.Text.Json;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Usage;

namespace Gateway.Providers.Mock;

/// <summary>
/// A deterministic built-in model (<c>mock/&lt;name&gt;</c>) so the embedded default config answers with no
/// provider key. The reply is <c>litellm_params.mock_response</c> when set; usage is counted from the input
/// the same way every time, so tests and demos see stable numbers. It never echoes the prompt.
/// </summary>
public sealed class MockProvider(TimeProvider time) : IChatProvider, IChatStreamProvider, IEmbeddingProvider
{
    public const string Prefix = "mock";

    public Task<ChatResponse> CompleteAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var reply = Reply(call);
        var usage = Usage(call.Request, reply);
        var completion = new ChatCompletion(CompletionId(call), time.GetUtcNow().ToUnixTimeSeconds(), call.Deployment.ModelId,
            [new ChatChoice(0, new ChatMessage(reply), "stop")], CompletionUsage.From(usage));
        var body = JsonSerializer.SerializeToUtf8Bytes(completion, OpenAIJsonContext.Default.ChatCompletion);
        return Task.FromResult(new ChatResponse(body, usage, call.Deployment.ModelId));
    }

    public Task<ChatStream> OpenStreamAsync(ChatCall call, CancellationToken cancellationToken) =>
        Task.FromResult<ChatStream>(new MockChatStream(call, Reply(call), time));

    public Task<EmbeddingResponse> EmbedAsync(EmbeddingCall call, CancellationToken cancellationToken) =>
        Task.FromResult(MockEmbeddings.Embed(call));

    internal static string Reply(ChatCall call) =>
        call.Deployment.Param("mock_response") ??
        $"Hello from {call.Deployment.ModelId}, the gateway's built-in mock model. You sent {call.Request.MessageCount} message(s).";

    /// <summary>Roughly four characters a token, as tokenizers average on English text; at least one per message.</summary>
    internal static TokenUsage Usage(ChatRequest request, string reply)
    {
        long chars = 0;
        foreach (var message in request.Messages.EnumerateArray())
            if (message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
                chars += c.GetString()!.Length;
        var prompt = Math.Max(request.MessageCount, (chars + 3) / 4);
        return new TokenUsage(prompt, Words(reply).Length);
    }

    internal static string[] Words(string reply) => reply.Split(' ');

    internal static string CompletionId(ChatCall call) => "chatcmpl-mock-" + call.RequestId;

    private sealed class MockChatStream(ChatCall call, string reply, TimeProvider time) : ChatStream
    {
        public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var id = CompletionId(call);
            var created = time.GetUtcNow().ToUnixTimeSeconds();
            var model = call.Deployment.ModelId;
            var words = Words(reply);
            yield return Chunk(new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, new ChunkDelta(Role: "assistant", Content: ""), null)]));
            for (var i = 0; i < words.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
                var text = i == 0 ? words[i] : " " + words[i];
                yield return Chunk(new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, new ChunkDelta(Content: text), null)]));
            }
            yield return Chunk(new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, new ChunkDelta(), "stop")]));
            var usage = Usage(call.Request, reply);
            yield return new StreamChunk(Serialize(new ChatCompletionChunk(id, created, model, [], CompletionUsage.From(usage))), usage, IsUsageOnly: true);
        }

        private static StreamChunk Chunk(ChatCompletionChunk chunk) => new(Serialize(chunk));

        private static byte[] Serialize(ChatCompletionChunk chunk) =>
            JsonSerializer.SerializeToUtf8Bytes(chunk, OpenAIJsonContext.Default.ChatCompletionChunk);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
