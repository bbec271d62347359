using System.Collections.Frozen;

namespace Gateway.Core.Routing;

/// <summary>The configured model groups, looked up by the name a request uses.</summary>
public sealed class ModelRegistry
{
    private readonly FrozenDictionary<string, IReadOnlyList<Deployment>> _groups;

    public ModelRegistry(IEnumerable<Deployment> deployments)
    {
        var all = deployments.ToList();
        Deployments = all;
        _groups = all.GroupBy(d => d.GroupName, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Deployment>)g.ToList(), StringComparer.Ordinal);
        GroupNames = all.Select(d => d.GroupName).Distinct(StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<Deployment> Deployments { get; }
    /// <summary>Group names in configuration order.</summary>
    public IReadOnlyList<string> GroupNames { get; }

    public bool TryGetGroup(string name, out IReadOnlyList<Deployment> deployments) =>
        _groups.TryGetValue(name, out deployments!);
}
