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
    public required string RequestedModel { get; init; }
    public string? Deployment { get; init; }
    public string? Provider { get; init; }
    public string? ProviderModel { get; init; }
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

    public static UsageRecord ForTokens(UsageRecord record, TokenUsage? usage) => usage is not { } u ? record : record with
    {
        PromptTokens = u.PromptTokens,
        CompletionTokens = u.CompletionTokens,
        CachedReadTokens = u.CachedReadTokens,
        CacheWriteTokens = u.CacheWriteTokens,
        ReasoningTokens = u.ReasoningTokens,
    };
}
