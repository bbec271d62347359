namespace Gateway.Core.Routing.Policies;

/// <summary>Weighted random: by <c>weight</c> when any deployment sets it, else by <c>rpm</c>, else by <c>tpm</c>, else uniform.</summary>
public sealed class SimpleShufflePolicy(Random random) : IRoutingPolicy
{
    public string Name => RoutingPolicies.SimpleShuffle;

    public DeploymentHealth Choose(IReadOnlyList<DeploymentHealth> candidates)
    {
        if (candidates.Count == 1)
            return candidates[0];
        Func<Deployment, double?> weightOf =
            candidates.Any(c => c.Deployment.Weight is not null) ? d => d.Weight
            : candidates.Any(c => c.Deployment.Rpm is not null) ? d => d.Rpm
            : candidates.Any(c => c.Deployment.Tpm is not null) ? d => d.Tpm
            : _ => 1;
        var total = 0.0;
        foreach (var c in candidates)
            total += weightOf(c.Deployment) ?? 1;
        var draw = random.NextDouble() * total;
        foreach (var c in candidates)
        {
            draw -= weightOf(c.Deployment) ?? 1;
            if (draw < 0)
                return c;
        }
        return candidates[^1];
    }
}
