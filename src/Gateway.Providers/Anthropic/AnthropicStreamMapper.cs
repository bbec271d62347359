using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic stream events (https://docs.anthropic.com/en/docs/build-with-claude/streaming) to OpenAI chunks. Pure but
/// stateful: one instance per stream. The assistant role rides on the first chunk that carries something, so an
/// error between <c>message_start</c> and the first token still fails before the client has seen a byte. A tool_use
/// block start becomes a tool call with id, name and empty arguments; input_json_delta its argument fragments;
/// thinking_delta <c>reasoning_content</c>; message_delta the finish chunk; message_stop the final usage-only chunk.
/// </summary>
internal sealed class AnthropicStreamMapper(AnthropicRequestPlan plan, long created, string deploymentId)
{
    private enum BlockKind { Other, Text, Thinking, Tool, JsonTool }

    private readonly Dictionary<long, (BlockKind Kind, int ToolIndex)> _blocks = [];
    private string _id = "";
    private string _model = "";
    private bool _roleSent;
    private bool _answeredAsJson;
    private int _toolCalls;
    private long _input, _cacheRead, _cacheWrite, _output;

    /// <summary>True once <c>message_stop</c> arrived; a stream that ends before is interrupted.</summary>
    public bool Completed { get; private set; }

    public void Map(ReadOnlyMemory<byte> data, List<StreamChunk> output)
    {
        using var doc = Parse(data);
        try
        {
            MapEvent(doc.RootElement, output);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid();
        }
    }

    private void MapEvent(JsonElement root, List<StreamChunk> output)
    {
        switch (AnthropicResponseMapper.String(root, "type"))
        {
            case "message_start":
                Start(root.GetProperty("message"));
                break;
            case "content_block_start":
                BlockStart(root, output);
                break;
            case "content_block_delta":
                BlockDelta(root, output);
                break;
            case "message_delta":
                MessageDelta(root, output);
                break;
            case "message_stop":
                output.Add(UsageChunk());
                Completed = true;
                break;
            case "error":
                throw AnthropicErrorMapper.FromStreamEvent(deploymentId, root);
        }
    }

    private void Start(JsonElement message)
    {
        _id = AnthropicResponseMapper.String(message, "id") ?? "";
        _model = AnthropicResponseMapper.String(message, "model") ?? "";
        if (message.TryGetProperty("usage", out var usage))
            ReadUsage(usage);
    }

    private void BlockStart(JsonElement root, List<StreamChunk> output)
    {
        var index = root.GetProperty("index").GetInt64();
        var block = root.GetProperty("content_block");
        var type = AnthropicResponseMapper.String(block, "type");
        var name = AnthropicResponseMapper.String(block, "name");
        var kind = type switch
        {
            "text" => BlockKind.Text,
            "thinking" => BlockKind.Thinking,
            "tool_use" when name is not null && name == plan.JsonToolName => BlockKind.JsonTool,
            "tool_use" => BlockKind.Tool,
            _ => BlockKind.Other,
        };
        var toolIndex = kind == BlockKind.Tool ? _toolCalls++ : -1;
        _blocks[index] = (kind, toolIndex);
        if (kind == BlockKind.Tool)
            output.Add(Chunk(new ChunkDelta(ToolCalls: [new ChunkToolCall(toolIndex, AnthropicResponseMapper.String(block, "id"), "function", new ChunkFunction(name, ""))])));
        else if (kind == BlockKind.Text && AnthropicResponseMapper.String(block, "text") is { Length: > 0 } text)
            output.Add(Chunk(new ChunkDelta(Content: text)));
        else if (kind == BlockKind.JsonTool)
            _answeredAsJson = true;
    }

    private void BlockDelta(JsonElement root, List<StreamChunk> output)
    {
        var (kind, toolIndex) = _blocks.GetValueOrDefault(root.GetProperty("index").GetInt64());
        var delta = root.GetProperty("delta");
        var text = AnthropicResponseMapper.String(delta, "type") switch
        {
            "text_delta" => AnthropicResponseMapper.String(delta, "text"),
            "thinking_delta" => AnthropicResponseMapper.String(delta, "thinking"),
            "input_json_delta" => AnthropicResponseMapper.String(delta, "partial_json"),
            _ => null,
        };
        if (string.IsNullOrEmpty(text))
            return;
        var chunkDelta = kind switch
        {
            BlockKind.Text or BlockKind.JsonTool => new ChunkDelta(Content: text),
            BlockKind.Thinking => new ChunkDelta(ReasoningContent: text),
            BlockKind.Tool => new ChunkDelta(ToolCalls: [new ChunkToolCall(toolIndex, null, null, new ChunkFunction(null, text))]),
            _ => null,
        };
        if (chunkDelta is not null)
            output.Add(Chunk(chunkDelta));
    }

    private void MessageDelta(JsonElement root, List<StreamChunk> output)
    {
        if (root.TryGetProperty("usage", out var usage))
            ReadUsage(usage);
        if (!root.TryGetProperty("delta", out var delta) || AnthropicResponseMapper.String(delta, "stop_reason") is not { } reason)
            return;
        var finish = _answeredAsJson ? "stop" : AnthropicFinishReasons.ToOpenAI(reason);
        output.Add(Chunk(new ChunkDelta(), finish));
    }

    /// <summary>message_start carries the input counts; message_delta the cumulative output count (and, lately, input counts too).</summary>
    private void ReadUsage(JsonElement usage)
    {
        _input = AnthropicResponseMapper.OptionalLong(usage, "input_tokens") ?? _input;
        _cacheRead = AnthropicResponseMapper.OptionalLong(usage, "cache_read_input_tokens") ?? _cacheRead;
        _cacheWrite = AnthropicResponseMapper.OptionalLong(usage, "cache_creation_input_tokens") ?? _cacheWrite;
        _output = AnthropicResponseMapper.OptionalLong(usage, "output_tokens") ?? _output;
    }

    private StreamChunk Chunk(ChunkDelta delta, string? finish = null)
    {
        if (!_roleSent)
        {
            delta = delta with { Role = "assistant" };
            _roleSent = true;
        }
        var chunk = new ChatCompletionChunk(_id, created, _model, [new ChunkChoice(0, delta, finish)]);
        return new StreamChunk(JsonSerializer.SerializeToUtf8Bytes(chunk, OpenAIJsonContext.Default.ChatCompletionChunk));
    }

    private StreamChunk UsageChunk()
    {
        var usage = AnthropicResponseMapper.Usage(_input, _cacheRead, _cacheWrite, _output);
        var chunk = new ChatCompletionChunk(_id, created, _model, [], CompletionUsage.From(usage));
        return new StreamChunk(JsonSerializer.SerializeToUtf8Bytes(chunk, OpenAIJsonContext.Default.ChatCompletionChunk), usage, IsUsageOnly: true);
    }

    private JsonDocument Parse(ReadOnlyMemory<byte> data)
    {
        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            throw Invalid();
        }
    }

    private GatewayError Invalid() =>
        new(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' sent a stream event that is not a valid Anthropic event.",
            "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);
}
