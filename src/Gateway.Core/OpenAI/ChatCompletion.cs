using System.Text.Json.Serialization;

namespace Gateway.Core.OpenAI;

/// <summary>
/// OpenAI's <c>CreateChatCompletionResponse</c>, for providers that translate into it.
/// Required-but-nullable fields (content, refusal, logprobs) are written as null, as the schema asks.
/// </summary>
public sealed record ChatCompletion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatChoice> Choices,
    [property: JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionUsage? Usage)
{
    [JsonPropertyName("object")] public string Object => "chat.completion";
}

public sealed record ChatChoice(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("message")] ChatMessage Message,
    [property: JsonPropertyName("finish_reason")] string FinishReason)
{
    [JsonPropertyName("logprobs")] public System.Text.Json.JsonElement? Logprobs => null;
}

public sealed record ChatMessage(
    [property: JsonPropertyName("content")] string? Content,
    [property: JsonPropertyName("tool_calls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ToolCall>? ToolCalls = null,
    [property: JsonPropertyName("reasoning_content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasoningContent = null)
{
    [JsonPropertyName("role")] public string Role => "assistant";
    [JsonPropertyName("refusal")] public string? Refusal => null;
}

public sealed record ToolCall(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("function")] FunctionCall Function)
{
    [JsonPropertyName("type")] public string Type => "function";
}

public sealed record FunctionCall(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments);

/// <summary>OpenAI's <c>CompletionUsage</c>; prompt_tokens includes cached tokens.</summary>
public sealed record CompletionUsage(
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("prompt_tokens_details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PromptTokensDetails? PromptTokensDetails = null,
    [property: JsonPropertyName("completion_tokens_details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionTokensDetails? CompletionTokensDetails = null)
{
    public static CompletionUsage From(Usage.TokenUsage u) => new(
        u.PromptTokens, u.CompletionTokens, u.TotalTokens,
        new PromptTokensDetails(u.CachedReadTokens, u.CacheWriteTokens == 0 ? null : u.CacheWriteTokens),
        new CompletionTokensDetails(u.ReasoningTokens));
}

public sealed record PromptTokensDetails(
    [property: JsonPropertyName("cached_tokens")] long CachedTokens,
    [property: JsonPropertyName("cache_creation_tokens"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CacheCreationTokens = null);

public sealed record CompletionTokensDetails(
    [property: JsonPropertyName("reasoning_tokens")] long ReasoningTokens);
