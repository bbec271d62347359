namespace Gateway.Core.Routing.Policies;

/// <summary>The deployment with the fewest requests in flight on this instance; ties broken at random.</summary>
public sealed class LeastBusyPolicy(Random random) : IRoutingPolicy
{
    public string Name => RoutingPolicies.LeastBusy;

    public DeploymentHealth Choose(IReadOnlyList<DeploymentHealth> candidates)
    {
        var least = candidates.Min(c => c.InFlight);
        return RoutingPolicies.PickAny(candidates.Where(c => c.InFlight == least).ToList(), random);
    }
}
