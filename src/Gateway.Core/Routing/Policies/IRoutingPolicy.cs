namespace Gateway.Core.Routing.Policies;

/// <summary>Chooses one deployment among available ones of the same group and order tier (never empty).</summary>
public interface IRoutingPolicy
{
    string Name { get; }
    DeploymentHealth Choose(IReadOnlyList<DeploymentHealth> candidates);
}
