using System.Buffers;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Core.Routing;
using Gateway.Providers.Http;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API (<c>anthropic/&lt;model&gt;</c>), POST <c>{api_base}/v1/messages</c> with <c>x-api-key</c> and
/// <c>anthropic-version</c> (https://docs.anthropic.com/en/api/messages). The only Anthropic code that touches HTTP;
/// translation lives in the pure mappers beside it.
/// </summary>
internal sealed class AnthropicProvider(HttpClient http, TimeProvider time) : IChatProvider, IChatStreamProvider, IChatParameterSupport
{
    public const string Prefix = "anthropic";
    public const string ApiVersion = "2023-06-01";
    private const string DefaultBase = "https://api.anthropic.com";

    public IReadOnlySet<string> SupportedChatParameters => AnthropicRequestMapper.SupportedParameters;

    public async Task<ChatResponse> CompleteAsync(ChatCall call, CancellationToken cancellationToken)
    {
        using var request = BuildRequest(call, out var plan);
        using var response = await UpstreamHttp.SendAsync(http, request, call.Deployment.Id, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorFromAsync(response, call.Deployment, cancellationToken).ConfigureAwait(false);
        var body = await UpstreamHttp.ReadBodyAsync(response, call.Deployment.Id, cancellationToken).ConfigureAwait(false);
        using var doc = ParseBody(body, call.Deployment.Id);
        return AnthropicResponseMapper.Map(doc.RootElement, plan, time.GetUtcNow().ToUnixTimeSeconds(), call.Deployment.Id);
    }

    public Task<ChatStream> OpenStreamAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var request = BuildRequest(call, out var plan);
        return UpstreamHttp.OpenStreamAsync(http, request, call.Deployment.Id,
            response => ErrorFromAsync(response, call.Deployment, cancellationToken),
            (req, response, body) => new AnthropicChatStream(req, response, body,
                new AnthropicStreamMapper(plan, time.GetUtcNow().ToUnixTimeSeconds(), call.Deployment.Id), call.Deployment.Id),
            cancellationToken);
    }

    /// <summary><c>api_base</c> may be the host (as LiteLLM documents it), end in <c>/v1</c>, or be the full messages URL.</summary>
    internal static Uri Endpoint(Deployment deployment)
    {
        var root = deployment.ApiBase ?? DefaultBase;
        if (root.EndsWith("/v1/messages", StringComparison.Ordinal))
            return new Uri(root);
        return new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? root + "/messages" : root + "/v1/messages");
    }

    private static HttpRequestMessage BuildRequest(ChatCall call, out AnthropicRequestPlan plan)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        plan = AnthropicRequestMapper.Write(call.Request, call.Deployment.ModelId, body);
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(call.Deployment))
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = UpstreamHttp.Json } },
        };
        if (call.Deployment.ApiKey is { Length: > 0 } key)
            request.Headers.TryAddWithoutValidation("x-api-key", key);
        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        request.Headers.TryAddWithoutValidation("x-request-id", call.RequestId);
        return request;
    }

    private async Task<GatewayError> ErrorFromAsync(HttpResponseMessage response, Deployment deployment, CancellationToken cancellationToken)
    {
        var body = await UpstreamHttp.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        return AnthropicErrorMapper.FromHttp(deployment.Id, response.StatusCode, body, UpstreamErrors.RetryAfter(response.Headers, time));
    }

    private static JsonDocument ParseBody(byte[] body, string deploymentId)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw AnthropicResponseMapper.InvalidResponse(deploymentId);
        }
    }
}
