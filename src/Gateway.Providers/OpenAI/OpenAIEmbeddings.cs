using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.OpenAI;
using Gateway.Core.Usage;

namespace Gateway.Providers.OpenAI;

/// <summary>Pure mapping for OpenAI-compatible embeddings: the body is forwarded as sent with only <c>model</c> replaced,
/// and the answer passes through unchanged (so <c>encoding_format</c> is honoured by the upstream itself).</summary>
public static class OpenAIEmbeddings
{
    public static void WriteRequest(EmbeddingRequest request, string upstreamModel, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        foreach (var property in request.Root.EnumerateObject())
        {
            if (property.NameEquals("model"))
                writer.WriteString("model", upstreamModel);
            else if (!GatewayRequestOptions.FieldNames.Contains(property.Name))
                property.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    public static TokenUsage? ReadUsage(JsonElement root) =>
        root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object &&
        usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var prompt)
            ? new TokenUsage(prompt, 0)
            : null;

    internal static HttpRequestMessage BuildHttpRequest(Uri endpoint, ArrayBufferWriter<byte> body, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = Http.UpstreamHttp.Json } },
        };
        request.Headers.TryAddWithoutValidation("x-request-id", requestId);
        return request;
    }
}
