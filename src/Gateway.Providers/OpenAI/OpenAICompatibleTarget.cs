using System.Net.Http.Headers;
using Gateway.Core.Routing;

namespace Gateway.Providers.OpenAI;

/// <summary>Where an OpenAI-wire request goes and how it authenticates: the only things that differ between
/// OpenAI-compatible servers and Azure OpenAI. Everything else (mapping, streaming, errors) is shared.</summary>
public abstract class OpenAICompatibleTarget
{
    public abstract string Prefix { get; }
    public abstract Uri ChatUri(Deployment deployment);
    public abstract Uri EmbeddingsUri(Deployment deployment);
    public abstract void Authorize(HttpRequestMessage request, Deployment deployment);
}

/// <summary>api.openai.com or any server at <c>api_base</c>; <c>Authorization: Bearer</c> when a key is set.</summary>
public sealed class OpenAITarget : OpenAICompatibleTarget
{
    private const string DefaultBase = "https://api.openai.com/v1";

    public override string Prefix => "openai";
    public override Uri ChatUri(Deployment deployment) => new((deployment.ApiBase ?? DefaultBase) + "/chat/completions");
    public override Uri EmbeddingsUri(Deployment deployment) => new((deployment.ApiBase ?? DefaultBase) + "/embeddings");

    public override void Authorize(HttpRequestMessage request, Deployment deployment)
    {
        if (deployment.ApiKey is { Length: > 0 } key)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }
}
