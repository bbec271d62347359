using System.Text.Json;
using Gateway.Core.OpenAI;
using Gateway.Core.Usage;

namespace Gateway.Core.Caching;

/// <summary>
/// A cached <c>chat.completion</c> replayed as the stream a streaming request expects: per choice, a chunk with the role,
/// reasoning and whole content, one with the tool calls (whole arguments), a finish chunk; then the usage-only chunk
/// (shown only when the client asked for usage).
/// </summary>
public static class StreamReplay
{
    public static IEnumerable<(byte[] Data, bool IsUsageOnly)> Chunks(ReadOnlyMemory<byte> completion, TokenUsage usage)
    {
        using var doc = JsonDocument.Parse(completion);
        var root = doc.RootElement;
        var id = root.TryGetProperty("id", out var i) ? i.GetString() ?? "" : "";
        var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
        var created = root.TryGetProperty("created", out var c) && c.TryGetInt64(out var t) ? t : 0;
        var chunks = new List<(byte[], bool)>();
        foreach (var choice in root.GetProperty("choices").EnumerateArray())
        {
            var index = choice.GetProperty("index").GetInt32();
            var message = choice.GetProperty("message");
            var content = message.TryGetProperty("content", out var ct) && ct.ValueKind == JsonValueKind.String ? ct.GetString() : null;
            var reasoning = message.TryGetProperty("reasoning_content", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            chunks.Add((Chunk(id, created, model, index, new ChunkDelta("assistant", content ?? (reasoning is null ? "" : null), reasoning), null), false));
            if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                var tools = calls.EnumerateArray().Select((call, n) => new ChunkToolCall(n, call.GetProperty("id").GetString(), "function",
                    new ChunkFunction(call.GetProperty("function").GetProperty("name").GetString(),
                        call.GetProperty("function").GetProperty("arguments").GetString()))).ToList();
                chunks.Add((Chunk(id, created, model, index, new ChunkDelta(ToolCalls: tools), null), false));
            }
            var finish = choice.TryGetProperty("finish_reason", out var f) ? f.GetString() : "stop";
            chunks.Add((Chunk(id, created, model, index, new ChunkDelta(), finish ?? "stop"), false));
        }
        var usageChunk = new ChatCompletionChunk(id, created, model, [], CompletionUsage.From(usage));
        chunks.Add((JsonSerializer.SerializeToUtf8Bytes(usageChunk, OpenAIJsonContext.Default.ChatCompletionChunk), true));
        return chunks;
    }

    private static byte[] Chunk(string id, long created, string model, int index, ChunkDelta delta, string? finish) =>
        JsonSerializer.SerializeToUtf8Bytes(new ChatCompletionChunk(id, created, model, [new ChunkChoice(index, delta, finish)]),
            OpenAIJsonContext.Default.ChatCompletionChunk);
}
