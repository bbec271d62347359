namespace Gateway.Core.Storage;

/// <summary>Readiness probe for whichever store backs the gateway.</summary>
public interface IStoreHealth
{
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
