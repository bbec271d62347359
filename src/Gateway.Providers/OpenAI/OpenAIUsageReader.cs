using System.Text.Json;
using Gateway.Core.Usage;

namespace Gateway.Providers.OpenAI;

/// <summary>
/// Reads OpenAI's <c>usage</c> object. OpenAI's <c>prompt_tokens</c> already includes
/// <c>prompt_tokens_details.cached_tokens</c>, so cached tokens are a breakdown, never added on top.
/// </summary>
public static class OpenAIUsageReader
{
    public static TokenUsage? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("usage", out var usage) || usage.ValueKind != JsonValueKind.Object)
            return null;
        return new TokenUsage(
            Long(usage, "prompt_tokens"),
            Long(usage, "completion_tokens"),
            CachedReadTokens: Nested(usage, "prompt_tokens_details", "cached_tokens"),
            CacheWriteTokens: Nested(usage, "prompt_tokens_details", "cache_creation_tokens"),
            ReasoningTokens: Nested(usage, "completion_tokens_details", "reasoning_tokens"));
    }

    private static long Long(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static long Nested(JsonElement obj, string parent, string name) =>
        obj.TryGetProperty(parent, out var p) && p.ValueKind == JsonValueKind.Object ? Long(p, name) : 0;
}
