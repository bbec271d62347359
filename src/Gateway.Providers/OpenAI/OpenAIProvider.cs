using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Gateway.Providers.Http;

namespace Gateway.Providers.OpenAI;

/// <summary>
/// OpenAI and any OpenAI-compatible server (vLLM, Ollama's /v1, Groq, Together, DeepSeek...) reached at
/// <c>api_base</c>. The only provider code that touches HTTP; mapping lives in the pure mappers beside it.
/// </summary>
public sealed class OpenAIProvider(HttpClient http, TimeProvider time, OpenAICompatibleTarget target) : IChatProvider, IChatStreamProvider, IEmbeddingProvider
{
    public const string Prefix = "openai";

    public async Task<ChatResponse> CompleteAsync(ChatCall call, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(call);
        using var response = await UpstreamHttp.SendAsync(http, request, call.Deployment.Id, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorFromAsync(response, call.Deployment, cancellationToken).ConfigureAwait(false);
        var body = await UpstreamHttp.ReadBodyAsync(response, call.Deployment.Id, cancellationToken).ConfigureAwait(false);
        using var doc = ParseBody(body, call.Deployment.Id);
        var model = doc.RootElement.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return new ChatResponse(body, OpenAIUsageReader.Read(doc.RootElement), model);
    }

    public Task<ChatStream> OpenStreamAsync(ChatCall call, CancellationToken cancellationToken) =>
        UpstreamHttp.OpenStreamAsync(http, BuildRequest(call), call.Deployment.Id,
            response => ErrorFromAsync(response, call.Deployment, cancellationToken),
            (request, response, body) => new OpenAIChatStream(request, response, body, call.Deployment.Id), cancellationToken);

    public async Task<EmbeddingResponse> EmbedAsync(EmbeddingCall call, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(512);
        OpenAIEmbeddings.WriteRequest(call.Request, call.Deployment.ModelId, body);
        using var request = OpenAIEmbeddings.BuildHttpRequest(target.EmbeddingsUri(call.Deployment), body, call.RequestId);
        target.Authorize(request, call.Deployment);
        using var response = await UpstreamHttp.SendAsync(http, request, call.Deployment.Id, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorFromAsync(response, call.Deployment, cancellationToken).ConfigureAwait(false);
        var bytes = await UpstreamHttp.ReadBodyAsync(response, call.Deployment.Id, cancellationToken).ConfigureAwait(false);
        using var doc = ParseBody(bytes, call.Deployment.Id);
        return new EmbeddingResponse(bytes, OpenAIEmbeddings.ReadUsage(doc.RootElement), call.Deployment.ModelId);
    }

    private HttpRequestMessage BuildRequest(ChatCall call)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        OpenAIRequestMapper.Write(call.Request, call.Deployment.ModelId, body);
        var request = new HttpRequestMessage(HttpMethod.Post, target.ChatUri(call.Deployment))
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = UpstreamHttp.Json } },
        };
        target.Authorize(request, call.Deployment);
        request.Headers.TryAddWithoutValidation("x-request-id", call.RequestId);
        return request;
    }

    private async Task<GatewayError> ErrorFromAsync(HttpResponseMessage response, Deployment deployment, CancellationToken cancellationToken)
    {
        var body = await UpstreamHttp.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var (message, code) = UpstreamErrors.ReadOpenAIError(body);
        return UpstreamErrors.Classify(deployment.Id, target.Prefix, response.StatusCode, message, code,
            UpstreamErrors.RetryAfter(response.Headers, time));
    }

    private static JsonDocument ParseBody(byte[] body, string deploymentId)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new GatewayError(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' answered with a body that is not JSON.",
                "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);
        }
    }
}
