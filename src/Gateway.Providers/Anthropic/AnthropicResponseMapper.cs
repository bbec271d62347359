using System.Text;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Usage;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// An Anthropic Message (https://docs.anthropic.com/en/api/messages) to OpenAI's <c>chat.completion</c>: text blocks
/// joined as content, thinking blocks as <c>reasoning_content</c>, tool_use blocks as tool_calls (arguments = the
/// input as a JSON string), or, in JSON mode, the forced tool's input as the content.
/// </summary>
internal static class AnthropicResponseMapper
{
    public static ChatResponse Map(JsonElement root, AnthropicRequestPlan plan, long created, string deploymentId)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("content", out var blocks) || blocks.ValueKind != JsonValueKind.Array)
            throw InvalidResponse(deploymentId);
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        List<ToolCall>? calls = null;
        var answeredAsJson = false;
        foreach (var block in blocks.EnumerateArray())
        {
            switch (String(block, "type"))
            {
                case "text":
                    text.Append(String(block, "text"));
                    break;
                case "thinking":
                    reasoning.Append(String(block, "thinking"));
                    break;
                case "tool_use" when plan.JsonToolName is { } json && String(block, "name") == json:
                    text.Append(block.GetProperty("input").GetRawText());
                    answeredAsJson = true;
                    break;
                case "tool_use":
                    (calls ??= []).Add(new ToolCall(String(block, "id") ?? "", new FunctionCall(String(block, "name") ?? "", InputJson(block))));
                    break;
            }
        }
        var finish = answeredAsJson ? "stop" : AnthropicFinishReasons.ToOpenAI(String(root, "stop_reason"));
        var usage = root.TryGetProperty("usage", out var u) ? ReadUsage(u) : (TokenUsage?)null;
        var model = String(root, "model") ?? "";
        var message = new ChatMessage(text.Length > 0 ? text.ToString() : null, calls, reasoning.Length > 0 ? reasoning.ToString() : null);
        var completion = new ChatCompletion(String(root, "id") ?? "", created, model, [new ChatChoice(0, message, finish)],
            usage is { } x ? CompletionUsage.From(x) : null);
        return new ChatResponse(JsonSerializer.SerializeToUtf8Bytes(completion, OpenAIJsonContext.Default.ChatCompletion), usage, model);
    }

    /// <summary>
    /// Anthropic's <c>input_tokens</c> counts only the tokens after the last cache breakpoint; cache reads and cache
    /// writes are reported beside it. The OpenAI total is their sum, and the cache fields are its breakdown, never
    /// added on top again (LiteLLM issue 9812).
    /// </summary>
    public static TokenUsage ReadUsage(JsonElement usage) => Usage(
        Long(usage, "input_tokens"), Long(usage, "cache_read_input_tokens"), Long(usage, "cache_creation_input_tokens"), Long(usage, "output_tokens"));

    public static TokenUsage Usage(long input, long cacheRead, long cacheWrite, long output) =>
        new(input + cacheRead + cacheWrite, output, CachedReadTokens: cacheRead, CacheWriteTokens: cacheWrite);

    internal static long? OptionalLong(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    internal static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static GatewayError InvalidResponse(string deploymentId) =>
        new(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' answered with a body that is not an Anthropic message.",
            "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);

    private static string InputJson(JsonElement block) =>
        block.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Object ? input.GetRawText() : "{}";

    private static long Long(JsonElement obj, string name) => OptionalLong(obj, name) ?? 0;
}
