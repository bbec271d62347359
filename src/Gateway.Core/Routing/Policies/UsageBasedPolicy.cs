namespace Gateway.Core.Routing.Policies;

/// <summary>The deployment with the most rpm/tpm headroom left this minute (the lower used fraction of its limits).</summary>
public sealed class UsageBasedPolicy(Random random) : IRoutingPolicy
{
    public string Name => RoutingPolicies.UsageBased;

    public DeploymentHealth Choose(IReadOnlyList<DeploymentHealth> candidates)
    {
        var scored = candidates.Select(c => (Health: c, Used: UsedFraction(c))).ToList();
        var least = scored.Min(s => s.Used);
        return RoutingPolicies.PickAny(scored.Where(s => s.Used == least).Select(s => s.Health).ToList(), random);
    }

    private static double UsedFraction(DeploymentHealth c)
    {
        var (requests, tokens) = c.LastMinute();
        var byRequests = c.Deployment.Rpm is { } rpm ? (double)requests / rpm : 0;
        var byTokens = c.Deployment.Tpm is { } tpm ? (double)tokens / tpm : 0;
        return c.Deployment.Rpm is null && c.Deployment.Tpm is null ? requests / 1e6 : Math.Max(byRequests, byTokens);
    }
}
