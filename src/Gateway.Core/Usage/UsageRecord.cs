namespace Gateway.Core.Usage;

/// <summary>
/// One request's accounting line: written for every request the gateway accepted, successes and
/// failures alike. Never holds prompt or response text, nor key material (only <see cref="KeyId"/>).
/// </summary>
public sealed record UsageRecord
{
    public required string RequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary><c>master</c>, or a virtual key's id (a hash prefix, never the key).</summary>
    public required string KeyId { get; init; }
    /// <summary>The key's alias, if it has one.</summary>
    public string? KeyAlias { get; init; }
    public string? TeamId { get; init; }
    /// <summary>The end user (<c>x-gateway-end-user</c> header, else the request's <c>user</c>).</summary>
    public string? EndUser { get; init; }
    /// <summary>From the key, the request's <c>metadata.tags</c> and the <c>x-gateway-tags</c> header; sorted, distinct.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required string RequestedModel { get; init; }
    /// <summary>The model group routed to (the key's alias for <see cref="RequestedModel"/>, if any).</summary>
    public string? ModelGroup { get; init; }
    public string? Deployment { get; init; }
    public string? Provider { get; init; }
    public string? ProviderModel { get; init; }
    /// <summary>The deployment's cloud region when it has one (Bedrock's <c>aws_region_name</c>).</summary>
    public string? Region { get; init; }
    /// <summary><c>success</c> or <c>failure</c>.</summary>
    public required string Status { get; init; }
    public required int HttpStatus { get; init; }
    public string? ErrorKind { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long CachedReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public double LatencyMs { get; init; }
    public double? TimeToFirstTokenMs { get; init; }
    public bool Stream { get; init; }
    /// <summary>Upstream attempts made (retries and fallbacks included).</summary>
    public int Attempts { get; init; }
    /// <summary>Fallback groups taken, comma-separated, in order.</summary>
    public string? Fallbacks { get; init; }
    /// <summary>USD, exact. Null only when the model has no price (<see cref="Unpriced"/>); a cache hit costs 0.</summary>
    public decimal? Cost { get; init; }
    /// <summary>What a cache hit would have cost upstream (USD); 0 otherwise.</summary>
    public decimal SavedCost { get; init; }
    /// <summary>Tokens were used but neither the catalog nor the deployment prices the model: the cost is unknown, not zero.</summary>
    public bool Unpriced { get; init; }
    /// <summary><c>hit</c>, <c>miss</c> or <c>bypass</c> when the response cache applies to the request; null otherwise.</summary>
    public string? CacheStatus { get; init; }
    /// <summary>Only with <c>general_settings.store_prompts_in_spend_logs</c>: the request body, size-capped.</summary>
    public string? RequestBody { get; init; }
    /// <summary>Only with <c>general_settings.store_prompts_in_spend_logs</c>: the answer (a stream's raw chunks), size-capped.</summary>
    public string? ResponseBody { get; init; }

    public static UsageRecord ForTokens(UsageRecord record, TokenUsage? usage) => usage is not { } u ? record : record with
    {
        PromptTokens = u.PromptTokens,
        CompletionTokens = u.CompletionTokens,
        CachedReadTokens = u.CachedReadTokens,
        CacheWriteTokens = u.CacheWriteTokens,
        ReasoningTokens = u.ReasoningTokens,
    };
}
