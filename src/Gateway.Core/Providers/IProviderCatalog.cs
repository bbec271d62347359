namespace Gateway.Core.Providers;

/// <summary>The providers this build knows, by <c>litellm_params.model</c> prefix, and what each can do.</summary>
public interface IProviderCatalog
{
    IReadOnlyCollection<string> Prefixes { get; }
    bool TryGetChat(string prefix, out IChatProvider provider);
    bool TryGetChatStream(string prefix, out IChatStreamProvider provider);
    bool TryGetEmbedding(string prefix, out IEmbeddingProvider provider);
    /// <summary>The request fields a translating provider honours; null when it forwards everything.</summary>
    IReadOnlySet<string>? SupportedChatParameters(string prefix);
}
