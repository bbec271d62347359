namespace Gateway.Core.Routing;

/// <summary>One request's routing inputs: the group it names and its per-request overrides.</summary>
public sealed record RouteRequest(string Group)
{
    /// <summary>Per-request <c>fallbacks</c>; replaces the configured general chain for this request.</summary>
    public IReadOnlyList<string>? Fallbacks { get; init; }
    public int? NumRetries { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Fail the primary group on purpose so callers can test their fallback chain.</summary>
    public bool MockTestingFallbacks { get; init; }
    /// <summary>Tokens expected for rpm/tpm headroom and context-window checks.</summary>
    public long EstimatedPromptTokens { get; init; }
    /// <summary>True when the prompt cannot fit the deployment's context window (checked before sending).</summary>
    public Func<Deployment, bool>? ExceedsContextWindow { get; init; }
    /// <summary>Streams: the attempt ends at the first chunk, so its latency is the time to first token.</summary>
    public bool Stream { get; init; }
}

/// <summary>What routing did for one request: the answering deployment, attempts made and fallbacks taken.</summary>
public sealed class RouteTrace
{
    public Deployment? Deployment { get; set; }
    public int Attempts { get; set; }
    public List<string> Fallbacks { get; } = [];
}
