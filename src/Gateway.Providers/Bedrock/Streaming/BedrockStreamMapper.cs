using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Usage;

namespace Gateway.Providers.Bedrock.Streaming;

/// <summary>
/// ConverseStream events (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html) to
/// OpenAI chunks. Pure but stateful: one instance per stream. contentBlockStart with <c>toolUse</c> opens a tool call (id,
/// name, empty arguments) and its <c>toolUse.input</c> deltas are the argument fragments; <c>text</c> deltas are content,
/// <c>reasoningContent.text</c> deltas <c>reasoning_content</c>; messageStop is the finish chunk, metadata the final
/// usage-only chunk. Exception frames (throttlingException, modelStreamErrorException, ...) become the same errors a
/// failed Converse call gives. Unknown fields (Bedrock pads payloads with <c>"p"</c>) and event types are ignored.
/// </summary>
internal sealed class BedrockStreamMapper(string id, long created, string model, string deploymentId, string region)
{
    private readonly Dictionary<long, int> _toolIndexByBlock = [];
    private bool _roleSent;
    private int _toolCalls;

    /// <summary>messageStop has arrived: the answer is whole even if the metadata frame never comes.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The metadata frame (always last) has arrived.</summary>
    public bool Completed { get; private set; }

    public void Map(in EventStreamFrame frame, List<StreamChunk> output)
    {
        if (frame.MessageType == "exception")
            throw Exception(frame.Type, frame.Payload);
        if (frame.MessageType == "error")
            throw new GatewayError(ErrorKind.UpstreamError, 502,
                $"Deployment '{deploymentId}' (bedrock, {region}) failed mid-stream: {frame.Type} {SecretRedactor.Redact(System.Text.Encoding.UTF8.GetString(frame.Payload))}",
                "api_error", "upstream_error", isRetryable: true, allowsFallback: true);
        using var doc = Parse(frame.Payload);
        try
        {
            MapEvent(frame.Type, doc.RootElement, output);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid();
        }
    }

    private void MapEvent(string type, JsonElement root, List<StreamChunk> output)
    {
        switch (type)
        {
            case "contentBlockStart":
                if (root.TryGetProperty("start", out var start) && start.TryGetProperty("toolUse", out var tool))
                {
                    var index = _toolCalls++;
                    _toolIndexByBlock[root.GetProperty("contentBlockIndex").GetInt64()] = index;
                    output.Add(Chunk(new ChunkDelta(ToolCalls: [new ChunkToolCall(index, tool.GetProperty("toolUseId").GetString(), "function",
                        new ChunkFunction(tool.GetProperty("name").GetString(), ""))])));
                }
                break;
            case "contentBlockDelta":
                Delta(root, output);
                break;
            case "messageStop":
                Stopped = true;
                output.Add(Chunk(new ChunkDelta(), BedrockFinishReasons.Map(root.TryGetProperty("stopReason", out var s) ? s.GetString() : null)));
                break;
            case "metadata":
                Completed = true;
                output.Add(UsageChunk(BedrockResponseMapper.Usage(root)));
                break;
        }
    }

    private void Delta(JsonElement root, List<StreamChunk> output)
    {
        var delta = root.GetProperty("delta");
        ChunkDelta? chunk = null;
        if (delta.TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 } t)
            chunk = new ChunkDelta(Content: t);
        else if (delta.TryGetProperty("reasoningContent", out var reasoning) && reasoning.TryGetProperty("text", out var r) && r.GetString() is { Length: > 0 } thought)
            chunk = new ChunkDelta(ReasoningContent: thought);
        else if (delta.TryGetProperty("toolUse", out var tool) && tool.TryGetProperty("input", out var input) && input.GetString() is { Length: > 0 } fragment &&
                 _toolIndexByBlock.TryGetValue(root.GetProperty("contentBlockIndex").GetInt64(), out var index))
            chunk = new ChunkDelta(ToolCalls: [new ChunkToolCall(index, null, null, new ChunkFunction(null, fragment))]);
        if (chunk is not null)
            output.Add(Chunk(chunk));
    }

    private StreamChunk Chunk(ChunkDelta delta, string? finish = null)
    {
        if (!_roleSent)
        {
            delta = delta with { Role = "assistant" };
            _roleSent = true;
        }
        var chunk = new ChatCompletionChunk(id, created, model, [new ChunkChoice(0, delta, finish)]);
        return new StreamChunk(JsonSerializer.SerializeToUtf8Bytes(chunk, OpenAIJsonContext.Default.ChatCompletionChunk));
    }

    private StreamChunk UsageChunk(TokenUsage usage)
    {
        var chunk = new ChatCompletionChunk(id, created, model, [], CompletionUsage.From(usage));
        return new StreamChunk(JsonSerializer.SerializeToUtf8Bytes(chunk, OpenAIJsonContext.Default.ChatCompletionChunk), usage, IsUsageOnly: true);
    }

    /// <summary>Exception frames name their shape in lower camel case (<c>throttlingException</c>); the error mapper knows the
    /// rest-json names (<c>ThrottlingException</c>).</summary>
    private GatewayError Exception(string type, byte[] payload)
    {
        var name = type.Length > 0 ? char.ToUpperInvariant(type[0]) + type[1..] : "InternalServerException";
        if (name == "ModelStreamErrorException")
            name = "ModelErrorException";
        return BedrockErrorMapper.Map(deploymentId, model, region, 500, name, payload, retryAfter: null);
    }

    private JsonDocument Parse(byte[] payload)
    {
        try
        {
            return JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            throw Invalid();
        }
    }

    private GatewayError Invalid() =>
        new(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' sent a stream event that is not a valid ConverseStream event.",
            "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);
}
