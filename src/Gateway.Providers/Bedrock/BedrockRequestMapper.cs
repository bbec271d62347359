using System.Buffers;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// OpenAI chat request → Bedrock Converse (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
/// system/developer → <c>system</c>; user, assistant and tool turns → <c>messages</c>, consecutive same-role turns merged
/// (tool results become user <c>toolResult</c> blocks); tools → <c>toolConfig</c>; sampling → <c>inferenceConfig</c>.
/// </summary>
public static class BedrockRequestMapper
{
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
        { "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "n" };

    /// <param name="fetchedImages">http(s) image URLs already fetched by the provider, as (base64, media type).</param>
    public static void Write(ChatRequest request, IBufferWriter<byte> output, IReadOnlyDictionary<string, (string Base64, string MediaType)>? fetchedImages = null)
    {
        if (request.Root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt32() != 1)
            throw GatewayError.InvalidRequest("Bedrock returns one choice; 'n' must be 1.", "n", "unsupported_value");
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        BedrockMessageWriter.Write(writer, request.Messages, fetchedImages ?? new Dictionary<string, (string, string)>());
        WriteInferenceConfig(writer, request);
        BedrockToolWriter.Write(writer, request.Root, request.Messages);
        writer.WriteEndObject();
    }

    /// <summary>The http(s) image URLs a request carries, each with the request field it came from.</summary>
    public static IEnumerable<(string Url, string Param)> ImageUrls(ChatRequest request)
    {
        var i = 0;
        foreach (var message in request.Messages.EnumerateArray())
        {
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                var j = 0;
                foreach (var part in content.EnumerateArray())
                {
                    if (part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object &&
                        image.TryGetProperty("url", out var url) && url.GetString() is { } u && u.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                        yield return (u, $"messages[{i}].content[{j}].image_url");
                    j++;
                }
            }
            i++;
        }
    }

    private static void WriteInferenceConfig(Utf8JsonWriter writer, ChatRequest request)
    {
        var root = request.Root;
        writer.WriteStartObject("inferenceConfig");
        if (request.MaxTokens is { } max)
            writer.WriteNumber("maxTokens", max);
        if (root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number)
            writer.WriteNumber("temperature", t.GetDouble());
        if (root.TryGetProperty("top_p", out var p) && p.ValueKind == JsonValueKind.Number)
            writer.WriteNumber("topP", p.GetDouble());
        if (root.TryGetProperty("stop", out var stop) && stop.ValueKind is JsonValueKind.String or JsonValueKind.Array)
        {
            writer.WriteStartArray("stopSequences");
            if (stop.ValueKind == JsonValueKind.String)
                writer.WriteStringValue(stop.GetString());
            else
                foreach (var s in stop.EnumerateArray())
                    writer.WriteStringValue(s.GetString());
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }
}
