namespace Gateway.Core.Routing.Policies;

/// <summary>The names <c>router_settings.routing_strategy</c> accepts (LiteLLM's), and the one factory.</summary>
public static class RoutingPolicies
{
    public const string SimpleShuffle = "simple-shuffle";
    public const string LeastBusy = "least-busy";
    public const string LatencyBased = "latency-based-routing";
    public const string CostBased = "cost-based-routing";
    public const string UsageBased = "usage-based-routing";

    public static readonly IReadOnlyList<string> All = [SimpleShuffle, LeastBusy, LatencyBased, CostBased, UsageBased];

    public static IRoutingPolicy Create(RouterSettings settings, Func<Deployment, decimal?> pricePerToken, Random random) =>
        settings.RoutingStrategy switch
        {
            LeastBusy => new LeastBusyPolicy(random),
            LatencyBased => new LatencyBasedPolicy(random, settings.LatencyBuffer),
            CostBased => new CostBasedPolicy(random, pricePerToken),
            UsageBased or "usage-based-routing-v2" => new UsageBasedPolicy(random),
            _ => new SimpleShufflePolicy(random),
        };

    internal static DeploymentHealth PickAny(IReadOnlyList<DeploymentHealth> candidates, Random random) =>
        candidates.Count == 1 ? candidates[0] : candidates[random.Next(candidates.Count)];
}
