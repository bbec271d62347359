namespace Gateway.Core.Providers;

/// <summary>The providers this build knows, by <c>litellm_params.model</c> prefix.</summary>
public interface IProviderCatalog
{
    IReadOnlyCollection<string> Prefixes { get; }
    bool TryGetChat(string prefix, out IChatProvider provider);
    bool TryGetChatStream(string prefix, out IChatStreamProvider provider);
}
