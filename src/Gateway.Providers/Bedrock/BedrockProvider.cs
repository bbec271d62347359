using System.Buffers;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Bedrock.Streaming;
using Gateway.Providers.Http;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// AWS Bedrock through Converse (<c>bedrock/&lt;model-id&gt;</c>, <c>bedrock/converse/&lt;model-id&gt;</c>), so Claude, Llama,
/// Mistral, Nova, Cohere and DeepSeek work alike; inference-profile ids and ARNs are passed through escaped.
/// The only Bedrock code that touches HTTP besides <see cref="BedrockEmbeddings"/>: Converse, ConverseStream (AWS event-stream
/// frames) and InvokeModel for embeddings.
/// </summary>
public sealed class BedrockProvider(TimeProvider time, SafeImageFetcher images) : IChatProvider, IChatStreamProvider, IEmbeddingProvider, IChatParameterSupport, IDisposable
{
    public const string Prefix = "bedrock";
    private readonly BedrockSigning _signing = new();

    public BedrockProvider(TimeProvider time) : this(time, new SafeImageFetcher())
    {
    }

    public IReadOnlySet<string> SupportedChatParameters => BedrockRequestMapper.Supported;

    public async Task<ChatResponse> CompleteAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var target = Target.For(call.Deployment);
        using var request = await BuildRequestAsync(call, target, "converse", cancellationToken).ConfigureAwait(false);
        using var response = await UpstreamHttp.SendAsync(_signing.ClientFor(call.Deployment), request, call.Deployment.Id,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await ErrorFromAsync(response, call.Deployment, target, time, cancellationToken).ConfigureAwait(false);
        var bytes = await UpstreamHttp.ReadBodyAsync(response, call.Deployment.Id, cancellationToken).ConfigureAwait(false);
        var (completion, usage) = BedrockResponseMapper.Map(bytes, "chatcmpl-" + call.RequestId, time.GetUtcNow().ToUnixTimeSeconds(), target.ModelId, call.Deployment.Id);
        return new ChatResponse(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(completion, Core.OpenAI.OpenAIJsonContext.Default.ChatCompletion),
            usage, target.ModelId);
    }

    public async Task<ChatStream> OpenStreamAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var target = Target.For(call.Deployment);
        var request = await BuildRequestAsync(call, target, "converse-stream", cancellationToken).ConfigureAwait(false);
        return await UpstreamHttp.OpenStreamAsync(_signing.ClientFor(call.Deployment), request, call.Deployment.Id,
            response => ErrorFromAsync(response, call.Deployment, target, time, cancellationToken),
            (req, response, body) => new BedrockChatStream(req, response, body, new BedrockStreamMapper("chatcmpl-" + call.RequestId,
                time.GetUtcNow().ToUnixTimeSeconds(), target.ModelId, call.Deployment.Id, target.Region), call.Deployment.Id),
            cancellationToken).ConfigureAwait(false);
    }

    public Task<EmbeddingResponse> EmbedAsync(EmbeddingCall call, CancellationToken cancellationToken) =>
        BedrockEmbeddings.EmbedAsync(call, Target.For(call.Deployment), _signing.ClientFor(call.Deployment), time, cancellationToken);

    private async Task<HttpRequestMessage> BuildRequestAsync(ChatCall call, Target target, string operation, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        BedrockRequestMapper.Write(call.Request, target.ModelId, body, await FetchImagesAsync(call, cancellationToken).ConfigureAwait(false));
        return new HttpRequestMessage(HttpMethod.Post, target.Url(operation))
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = UpstreamHttp.Json } },
        };
    }

    internal static async Task<GatewayError> ErrorFromAsync(HttpResponseMessage response, Core.Routing.Deployment deployment, Target target,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var error = await UpstreamHttp.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
        return BedrockErrorMapper.Map(deployment.Id, target.ModelId, target.Region, (int)response.StatusCode, type, error,
            UpstreamErrors.RetryAfter(response.Headers, time));
    }

    private async Task<Dictionary<string, (string, string)>> FetchImagesAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var fetched = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (url, param) in BedrockRequestMapper.ImageUrls(call.Request))
        {
            if (fetched.ContainsKey(url))
                continue;
            var (bytes, mediaType) = await images.FetchAsync(url, param, cancellationToken).ConfigureAwait(false);
            fetched[url] = (Convert.ToBase64String(bytes), mediaType);
        }
        return fetched;
    }

    /// <summary><c>converse/&lt;id&gt;</c> names the API explicitly; Converse is the only one used, so the marker is dropped.</summary>
    internal static string WithoutApiMarker(string configured) =>
        configured.StartsWith("converse/", StringComparison.Ordinal) ? configured["converse/".Length..] : configured;

    /// <summary>Where one deployment's calls go: model id (escaped in the path, so ARNs and profile ids work), region and base URL.</summary>
    internal sealed record Target(string ModelId, string Region, string BaseUrl)
    {
        public static Target For(Core.Routing.Deployment deployment)
        {
            var region = BedrockSigning.Region(deployment);
            return new Target(WithoutApiMarker(deployment.ModelId), region, (deployment.ApiBase ?? $"https://bedrock-runtime.{region}.amazonaws.com").TrimEnd('/'));
        }

        public string Url(string operation) => $"{BaseUrl}/model/{Uri.EscapeDataString(ModelId)}/{operation}";
    }

    public void Dispose()
    {
        _signing.Dispose();
        images.Dispose();
    }
}
