namespace Gateway.Core.Routing.Policies;

/// <summary>
/// Lowest smoothed latency (time to first token when known, which is what streaming users feel). Deployments with
/// no data yet are tried first; those within <c>buffer</c> of the fastest share load, so near-equal ones both stay warm.
/// A small share of picks (<see cref="ExploreRate"/>) goes to any candidate, so a deployment that had one slow sample
/// (a cold start, a passing incident) is measured again instead of being starved forever.
/// </summary>
public sealed class LatencyBasedPolicy(Random random, double buffer) : IRoutingPolicy
{
    public const double ExploreRate = 0.1;

    public string Name => RoutingPolicies.LatencyBased;

    public DeploymentHealth Choose(IReadOnlyList<DeploymentHealth> candidates)
    {
        if (candidates.Count > 1 && random.NextDouble() < ExploreRate)
            return RoutingPolicies.PickAny(candidates, random);
        var unmeasured = candidates.Where(c => double.IsNaN(Latency(c))).ToList();
        if (unmeasured.Count > 0)
            return RoutingPolicies.PickAny(unmeasured, random);
        var fastest = candidates.Min(Latency);
        return RoutingPolicies.PickAny(candidates.Where(c => Latency(c) <= fastest * (1 + buffer)).ToList(), random);
    }

    private static double Latency(DeploymentHealth c) => double.IsNaN(c.TimeToFirstTokenMs) ? c.LatencyMs : c.TimeToFirstTokenMs;
}
