using System.Net.Http.Headers;
using Gateway.Core.Routing;
using Gateway.Providers.OpenAI;

namespace Gateway.Providers.Azure;

/// <summary>
/// Azure OpenAI (https://learn.microsoft.com/azure/ai-services/openai/reference): the deployment name is in the path,
/// <c>api-version</c> in the query, and the key in an <c>api-key</c> header, or an Entra ID token as a bearer
/// (<c>azure_ad_token</c>). The body and answers are OpenAI's, so the OpenAI mappers serve it unchanged.
/// </summary>
public sealed class AzureTarget : OpenAICompatibleTarget
{
    public const string PrefixName = "azure";

    public override string Prefix => PrefixName;
    public override Uri ChatUri(Deployment deployment) => Build(deployment, "chat/completions");
    public override Uri EmbeddingsUri(Deployment deployment) => Build(deployment, "embeddings");

    public override void Authorize(HttpRequestMessage request, Deployment deployment)
    {
        if (deployment.Param("azure_ad_token") is { Length: > 0 } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else if (deployment.ApiKey is { Length: > 0 } key)
            request.Headers.TryAddWithoutValidation("api-key", key);
    }

    private static Uri Build(Deployment deployment, string operation) =>
        new($"{deployment.ApiBase}/openai/deployments/{Uri.EscapeDataString(deployment.ModelId)}/{operation}?api-version={Uri.EscapeDataString(deployment.Param("api_version") ?? "")}");
}
