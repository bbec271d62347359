using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Usage;

namespace Gateway.Providers.Bedrock;

/// <summary>Converse response → OpenAI <c>chat.completion</c>. Bedrock's <c>inputTokens</c> excludes cache reads and writes,
/// so <c>prompt_tokens</c> = inputTokens + cacheReadInputTokens + cacheWriteInputTokens (LiteLLM issue 9812: never count
/// cached tokens twice, never drop them).</summary>
public static class BedrockResponseMapper
{
    public static (ChatCompletion Completion, TokenUsage Usage) Map(ReadOnlySpan<byte> body, string id, long created, string model, string deploymentId)
    {
        using var doc = Parse(body, deploymentId);
        var root = doc.RootElement;
        var usage = Usage(root);
        string? text = null, reasoning = null;
        List<ToolCall>? tools = null;
        if (root.TryGetProperty("output", out var output) && output.TryGetProperty("message", out var message) &&
            message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("text", out var t))
                    text = (text ?? "") + t.GetString();
                else if (block.TryGetProperty("reasoningContent", out var r) && r.TryGetProperty("reasoningText", out var rt) &&
                         rt.TryGetProperty("text", out var thought))
                    reasoning = (reasoning ?? "") + thought.GetString();
                else if (block.TryGetProperty("toolUse", out var use))
                    (tools ??= []).Add(new ToolCall(use.GetProperty("toolUseId").GetString()!,
                        new FunctionCall(use.GetProperty("name").GetString()!, use.TryGetProperty("input", out var input) ? input.GetRawText() : "{}")));
            }
        }
        var stop = root.TryGetProperty("stopReason", out var s) ? s.GetString() : null;
        var completion = new ChatCompletion(id, created, model,
            [new ChatChoice(0, new ChatMessage(text, tools, reasoning), BedrockFinishReasons.Map(stop))], CompletionUsage.From(usage));
        return (completion, usage);
    }

    public static TokenUsage Usage(JsonElement root)
    {
        if (!root.TryGetProperty("usage", out var u) || u.ValueKind != JsonValueKind.Object)
            return default;
        long Get(string name) => u.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? n : 0;
        var cacheRead = Get("cacheReadInputTokens");
        var cacheWrite = Get("cacheWriteInputTokens");
        return new TokenUsage(Get("inputTokens") + cacheRead + cacheWrite, Get("outputTokens"), cacheRead, cacheWrite);
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> body, string deploymentId)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            throw new GatewayError(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' answered with a body that is not JSON.",
                "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);
        }
    }
}

/// <summary>Converse <c>stopReason</c> → OpenAI <c>finish_reason</c>
/// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax).</summary>
public static class BedrockFinishReasons
{
    public static string Map(string? stopReason) => stopReason switch
    {
        "end_turn" or "stop_sequence" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "guardrail_intervened" or "content_filtered" => "content_filter",
        _ => "stop",
    };
}
