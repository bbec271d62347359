using Gateway.Core.Errors;
using Gateway.Core.Routing;

namespace Gateway.Api.Chat;

/// <summary>Resolves a requested model name to its group and picks one deployment (uniformly for now; routing policies replace this).</summary>
internal sealed class DeploymentSelector(ModelRegistry registry)
{
    public Deployment Select(string model)
    {
        if (!registry.TryGetGroup(model, out var group))
            throw GatewayError.ModelNotFound(model);
        return group.Count == 1 ? group[0] : group[Random.Shared.Next(group.Count)];
    }
}
