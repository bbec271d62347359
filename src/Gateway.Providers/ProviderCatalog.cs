using System.Collections.Frozen;
using Gateway.Core.Providers;
using Gateway.Providers.Mock;
using Gateway.Providers.OpenAI;

namespace Gateway.Providers;

/// <summary>Every provider this build ships, by <c>litellm_params.model</c> prefix. Each is a singleton handed
/// its deployment (key included) per call, so one instance serves every deployment of its kind.</summary>
public sealed class ProviderCatalog : IProviderCatalog
{
    private readonly FrozenDictionary<string, IChatProvider> _chat;
    private readonly FrozenDictionary<string, IChatStreamProvider> _stream;

    public ProviderCatalog(HttpClient http, TimeProvider time)
    {
        var openai = new OpenAIProvider(http, time);
        var mock = new MockProvider(time);
        _chat = new Dictionary<string, IChatProvider>
        {
            [OpenAIProvider.Prefix] = openai,
            [MockProvider.Prefix] = mock,
        }.ToFrozenDictionary();
        _stream = new Dictionary<string, IChatStreamProvider>
        {
            [OpenAIProvider.Prefix] = openai,
            [MockProvider.Prefix] = mock,
        }.ToFrozenDictionary();
        Prefixes = _chat.Keys.Concat(_stream.Keys).Distinct().ToArray();
    }

    public IReadOnlyCollection<string> Prefixes { get; }

    public bool TryGetChat(string prefix, out IChatProvider provider) => _chat.TryGetValue(prefix, out provider!);

    public bool TryGetChatStream(string prefix, out IChatStreamProvider provider) => _stream.TryGetValue(prefix, out provider!);
}
