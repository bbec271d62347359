namespace Gateway.Core.Usage;

/// <summary>
/// Token counts as the provider reported them. <see cref="PromptTokens"/> counts every input token,
/// cached reads and cache writes included; the cache fields break that total down and are never added on top.
/// </summary>
public readonly record struct TokenUsage(
    long PromptTokens,
    long CompletionTokens,
    long CachedReadTokens = 0,
    long CacheWriteTokens = 0,
    long ReasoningTokens = 0)
{
    public long TotalTokens => PromptTokens + CompletionTokens;
}
