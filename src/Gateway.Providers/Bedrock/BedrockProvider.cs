using System.Buffers;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Http;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// AWS Bedrock through Converse (<c>bedrock/&lt;model-id&gt;</c>, <c>bedrock/converse/&lt;model-id&gt;</c>), so Claude, Llama,
/// Mistral, Nova, Cohere and DeepSeek work alike; inference-profile ids and ARNs are passed through escaped.
/// The only Bedrock code that touches HTTP. Streaming (ConverseStream) is not built yet: streaming requests get a 400.
/// </summary>
public sealed class BedrockProvider(TimeProvider time, SafeImageFetcher images) : IChatProvider, IChatParameterSupport, IDisposable
{
    public const string Prefix = "bedrock";
    private readonly BedrockSigning _signing = new();

    public BedrockProvider(TimeProvider time) : this(time, new SafeImageFetcher())
    {
    }

    public IReadOnlySet<string> SupportedChatParameters => BedrockRequestMapper.Supported;

    public async Task<ChatResponse> CompleteAsync(ChatCall call, CancellationToken cancellationToken)
    {
        var deployment = call.Deployment;
        var modelId = ModelId(deployment.ModelId);
        var region = BedrockSigning.Region(deployment);
        var body = new ArrayBufferWriter<byte>(1024);
        BedrockRequestMapper.Write(call.Request, body, await FetchImagesAsync(call, cancellationToken).ConfigureAwait(false));
        var baseUrl = deployment.ApiBase ?? $"https://bedrock-runtime.{region}.amazonaws.com";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/model/{Uri.EscapeDataString(modelId)}/converse")
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = UpstreamHttp.Json } },
        };
        using var response = await UpstreamHttp.SendAsync(_signing.ClientFor(deployment), request, deployment.Id,
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await UpstreamHttp.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null;
            throw BedrockErrorMapper.Map(deployment.Id, modelId, region, (int)response.StatusCode, type, error,
                UpstreamErrors.RetryAfter(response.Headers, time));
        }
        var bytes = await UpstreamHttp.ReadBodyAsync(response, deployment.Id, cancellationToken).ConfigureAwait(false);
        var (completion, usage) = BedrockResponseMapper.Map(bytes, "chatcmpl-" + call.RequestId, time.GetUtcNow().ToUnixTimeSeconds(), modelId, deployment.Id);
        return new ChatResponse(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(completion, Core.OpenAI.OpenAIJsonContext.Default.ChatCompletion),
            usage, modelId);
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
    internal static string ModelId(string configured) =>
        configured.StartsWith("converse/", StringComparison.Ordinal) ? configured["converse/".Length..] : configured;

    public void Dispose()
    {
        _signing.Dispose();
        images.Dispose();
    }
}
