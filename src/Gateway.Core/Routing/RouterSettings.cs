using Gateway.Core.Errors;

namespace Gateway.Core.Routing;

/// <summary>
/// <c>router_settings</c> (and the LiteLLM-compatible copies in <c>litellm_settings</c>): how a group picks a
/// deployment, how often a failed attempt is retried, when a deployment cools down, and where a request falls back.
/// </summary>
public sealed record RouterSettings
{
    public string RoutingStrategy { get; init; } = Policies.RoutingPolicies.SimpleShuffle;
    /// <summary>Retries after the first attempt, per group tried (so one request makes at most
    /// (1 + NumRetries) attempts per group in its fallback chain).</summary>
    public int NumRetries { get; init; } = 2;
    /// <summary>Per-attempt deadline when a deployment sets none.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Failures within a minute a deployment may have before it cools down.</summary>
    public int AllowedFails { get; init; } = 3;
    public TimeSpan CooldownTime { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Retries per error kind (LiteLLM's <c>retry_policy</c>); a kind not listed uses <see cref="NumRetries"/>.</summary>
    public IReadOnlyDictionary<ErrorKind, int> RetryPolicy { get; init; } = new Dictionary<ErrorKind, int>();
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fallbacks { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyList<string> DefaultFallbacks { get; init; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContextWindowFallbacks { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ContentPolicyFallbacks { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    /// <summary>Latency-based routing treats deployments within this fraction of the fastest as equal and shares load among them.</summary>
    public double LatencyBuffer { get; init; } = 0.1;
}
