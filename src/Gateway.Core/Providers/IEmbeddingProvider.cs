using Gateway.Core.OpenAI;
using Gateway.Core.Routing;
using Gateway.Core.Usage;

namespace Gateway.Core.Providers;

/// <summary>One embeddings attempt at one deployment.</summary>
public sealed record EmbeddingCall(EmbeddingRequest Request, Deployment Deployment, string RequestId);

/// <summary>An answer already in OpenAI's <c>CreateEmbeddingResponse</c> JSON, in the encoding the client asked for.</summary>
public sealed record EmbeddingResponse(ReadOnlyMemory<byte> Body, TokenUsage? Usage, string? ProviderModel = null);

/// <summary>Embeddings (<c>POST /v1/embeddings</c>).</summary>
public interface IEmbeddingProvider
{
    Task<EmbeddingResponse> EmbedAsync(EmbeddingCall call, CancellationToken cancellationToken);
}
