namespace Gateway.Core.Routing.Policies;

/// <summary>The cheapest deployment by the price catalog (input plus output price per token); unpriced ones come last.</summary>
public sealed class CostBasedPolicy(Random random, Func<Deployment, decimal?> pricePerToken) : IRoutingPolicy
{
    public string Name => RoutingPolicies.CostBased;

    public DeploymentHealth Choose(IReadOnlyList<DeploymentHealth> candidates)
    {
        var cheapest = candidates.Min(c => pricePerToken(c.Deployment) ?? decimal.MaxValue);
        return RoutingPolicies.PickAny(candidates.Where(c => (pricePerToken(c.Deployment) ?? decimal.MaxValue) == cheapest).ToList(), random);
    }
}
