using System.Collections.Frozen;
using Gateway.Core.Routing.Policies;

namespace Gateway.Core.Routing;

/// <summary>
/// Picks a deployment of a group: drops those cooling down or out of rpm/tpm headroom, keeps the lowest
/// <c>order</c> tier that still has one, and lets the routing policy choose within it.
/// </summary>
public sealed class DeploymentPicker
{
    private readonly ModelRegistry _registry;
    private readonly FrozenDictionary<string, DeploymentHealth> _health;
    private readonly IRoutingPolicy _policy;
    private readonly TimeProvider _time;

    public DeploymentPicker(ModelRegistry registry, IRoutingPolicy policy, TimeProvider time)
    {
        _registry = registry;
        _policy = policy;
        _time = time;
        _health = registry.Deployments.ToFrozenDictionary(d => d.Id, d => new DeploymentHealth(d, time));
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public IEnumerable<DeploymentHealth> All => _registry.Deployments.Select(d => _health[d.Id]);

    public DeploymentHealth Health(Deployment deployment) => _health[deployment.Id];

    /// <summary>Null when no deployment of the group is available now. Deployments in <paramref name="exclude"/>
    /// (already failed for this request) are avoided unless nothing else is left.</summary>
    public DeploymentHealth? Pick(IReadOnlyList<Deployment> group, IReadOnlySet<string>? exclude, long estimatedTokens)
    {
        var available = Available(group, exclude, estimatedTokens);
        if (available.Count == 0 && exclude is { Count: > 0 })
            available = Available(group, null, estimatedTokens);
        if (available.Count == 0)
            return null;
        var tier = available.Min(h => h.Deployment.Order ?? 1);
        var candidates = available.Count == 1 ? available : available.Where(h => (h.Deployment.Order ?? 1) == tier).ToList();
        return _policy.Choose(candidates);
    }

    private List<DeploymentHealth> Available(IReadOnlyList<Deployment> group, IReadOnlySet<string>? exclude, long estimatedTokens)
    {
        var list = new List<DeploymentHealth>(group.Count);
        foreach (var d in group)
        {
            var h = _health[d.Id];
            if (!h.IsCoolingDown && h.HasHeadroom(estimatedTokens) && (exclude is null || !exclude.Contains(d.Id)))
                list.Add(h);
        }
        return list;
    }
}
