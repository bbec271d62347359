using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// <c>reasoning_effort</c> → Claude's extended-thinking budget, shared by the Anthropic API and Claude on Bedrock
/// (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking). 1024 is Anthropic's minimum budget.
/// </summary>
internal static class ClaudeThinking
{
    public const int MinBudget = 1024;

    public static int? Budget(JsonElement root)
    {
        if (!root.TryGetProperty("reasoning_effort", out var effort) || effort.ValueKind == JsonValueKind.Null)
            return null;
        return (effort.ValueKind == JsonValueKind.String ? effort.GetString() : null) switch
        {
            "none" => null,
            "minimal" or "low" => MinBudget,
            "medium" => 4096,
            "high" => 16384,
            _ => throw GatewayError.InvalidRequest("'reasoning_effort' must be none, minimal, low, medium or high.", "reasoning_effort", "invalid_value"),
        };
    }

    /// <summary>The client's limit is honoured; with thinking, the budget shrinks to fit under it rather than the limit growing.
    /// Without a client limit: the model's documented output limit, raised above the budget when it would not fit.</summary>
    public static long MaxTokens(ChatRequest request, string modelId, ref int? budget, string provider)
    {
        if (request.MaxTokens is { } requested)
        {
            if (budget is { } b && requested <= b)
            {
                if (requested <= MinBudget)
                {
                    var name = request.Root.TryGetProperty("max_completion_tokens", out _) ? "max_completion_tokens" : "max_tokens";
                    throw GatewayError.InvalidRequest($"'{name}' must be greater than {MinBudget} when 'reasoning_effort' is set (provider '{provider}').",
                        name, "invalid_value");
                }
                budget = (int)requested - 1;
            }
            return requested;
        }
        var fallback = AnthropicModelLimits.DefaultMaxTokens(modelId);
        return budget is { } thinking && fallback <= thinking ? thinking + AnthropicModelLimits.FallbackMaxTokens : fallback;
    }
}
