using System.Collections.Frozen;
using Gateway.Core.Providers;
using Gateway.Providers.Mock;
using Gateway.Providers.OpenAI;

namespace Gateway.Providers;

/// <summary>
/// Every provider this build ships, by <c>litellm_params.model</c> prefix. Each is a singleton handed its deployment
/// (key included) per call, so one instance serves every deployment of its kind. A provider is registered once and
/// listed under each capability interface it implements.
/// </summary>
public sealed class ProviderCatalog : IProviderCatalog
{
    private readonly FrozenDictionary<string, object> _providers;

    public ProviderCatalog(HttpClient http, TimeProvider time)
    {
        var providers = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [OpenAIProvider.Prefix] = new OpenAIProvider(http, time, new OpenAITarget()),
            [Azure.AzureTarget.PrefixName] = new OpenAIProvider(http, time, new Azure.AzureTarget()),
            [Bedrock.BedrockProvider.Prefix] = new Bedrock.BedrockProvider(time),
            [MockProvider.Prefix] = new MockProvider(time),
            [Anthropic.AnthropicProvider.Prefix] = new Anthropic.AnthropicProvider(http, time),
        };
        _providers = providers.ToFrozenDictionary(StringComparer.Ordinal);
        Prefixes = _providers.Keys.ToArray();
    }

    public IReadOnlyCollection<string> Prefixes { get; }

    public bool TryGetChat(string prefix, out IChatProvider provider) => TryGet(prefix, out provider);

    public bool TryGetChatStream(string prefix, out IChatStreamProvider provider) => TryGet(prefix, out provider);

    public bool TryGetEmbedding(string prefix, out IEmbeddingProvider provider) => TryGet(prefix, out provider);

    public IReadOnlySet<string>? SupportedChatParameters(string prefix) =>
        _providers.TryGetValue(prefix, out var p) && p is IChatParameterSupport support ? support.SupportedChatParameters : null;

    private bool TryGet<T>(string prefix, out T provider) where T : class
    {
        provider = (_providers.TryGetValue(prefix, out var p) ? p as T : null)!;
        return provider is not null;
    }
}
