namespace Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic requires <c>max_tokens</c>; OpenAI clients usually omit it. When absent, the gateway sends the model's
/// documented output limit (https://docs.anthropic.com/en/docs/about-claude/models/overview) so that answers are
/// not cut short; models it does not know get 4096, which every Claude model accepts.
/// </summary>
internal static class AnthropicModelLimits
{
    public const int FallbackMaxTokens = 4096;

    /// <summary>First matching fragment of the model id wins, so more specific fragments come first.</summary>
    private static readonly (string Fragment, int MaxTokens)[] MaxOutputTokens =
    [
        ("opus-4-5", 64_000),
        ("opus-4", 32_000),
        ("sonnet-4", 64_000),
        ("haiku-4", 64_000),
        ("3-7-sonnet", 64_000),
        ("3-5-sonnet", 8_192),
        ("3-5-haiku", 8_192),
    ];

    public static int DefaultMaxTokens(string modelId)
    {
        foreach (var (fragment, maxTokens) in MaxOutputTokens)
            if (modelId.Contains(fragment, StringComparison.OrdinalIgnoreCase))
                return maxTokens;
        return FallbackMaxTokens;
    }
}
