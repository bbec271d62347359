using Gateway.Core.Routing;

namespace Gateway.Core.Pricing;

/// <summary>
/// The most a request can cost wherever routing sends it: the dearest deployment of its group and of every group it
/// may fall back to, at its full output allowance. Reserving this much is what keeps concurrent requests from overspending.
/// </summary>
internal sealed class RequestCostEstimator(ModelRegistry registry, RouterSettings router, CostCalculator costs)
{
    private const long DefaultMaxOutput = 4096;

    public decimal WorstCase(string group, IReadOnlyList<string>? requestFallbacks, long promptTokens, long? maxOutputTokens)
    {
        var worst = 0m;
        foreach (var name in GroupsReachable(group, requestFallbacks))
        {
            if (!registry.TryGetGroup(name, out var deployments))
                continue;
            foreach (var deployment in deployments)
                if (costs.PriceOf(deployment) is { } price)
                    worst = Math.Max(worst, CostCalculator.WorstCase(promptTokens, maxOutputTokens ?? price.MaxOutputTokens ?? DefaultMaxOutput, price));
        }
        return worst;
    }

    private IEnumerable<string> GroupsReachable(string group, IReadOnlyList<string>? requestFallbacks)
    {
        yield return group;
        foreach (var g in requestFallbacks ?? router.Fallbacks.GetValueOrDefault(group) ?? router.DefaultFallbacks)
            yield return g;
        foreach (var g in router.ContextWindowFallbacks.GetValueOrDefault(group) ?? [])
            yield return g;
        foreach (var g in router.ContentPolicyFallbacks.GetValueOrDefault(group) ?? [])
            yield return g;
    }
}
