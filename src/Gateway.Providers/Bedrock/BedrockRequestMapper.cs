using System.Buffers;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Providers.Anthropic;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// OpenAI chat request → Bedrock Converse (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html):
/// system/developer → <c>system</c>; user, assistant and tool turns → <c>messages</c>, consecutive same-role turns merged
/// (tool results become user <c>toolResult</c> blocks); <c>cache_control</c> on a part, message or tool → a
/// <c>cachePoint</c> after it; tools → <c>toolConfig</c>; sampling → <c>inferenceConfig</c>. What Converse has no field
/// for goes to <c>additionalModelRequestFields</c>: <c>reasoning_effort</c> → Claude's <c>thinking</c> budget,
/// <c>top_k</c>, and the request's own <c>additionalModelRequestFields</c> object (model-specific extras, passed as given).
/// </summary>
public static class BedrockRequestMapper
{
    public const string ExtraFieldsParameter = "additionalModelRequestFields";

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
        { "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "tools", "tool_choice", "n", "reasoning_effort", "top_k", ExtraFieldsParameter };

    /// <param name="fetchedImages">http(s) image URLs already fetched by the provider, as (base64, media type).</param>
    public static void Write(ChatRequest request, string modelId, IBufferWriter<byte> output,
        IReadOnlyDictionary<string, (string Base64, string MediaType)>? fetchedImages = null)
    {
        var root = request.Root;
        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt32() != 1)
            throw GatewayError.InvalidRequest("Bedrock returns one choice; 'n' must be 1.", "n", "unsupported_value");
        var budget = ThinkingBudget(root, modelId);
        // Bedrock reserves quota for input + maxTokens at the start, so a thinking request without a limit gets budget + 4096,
        // not the model's whole output limit.
        long? maxTokens = budget is null ? request.MaxTokens
            : request.MaxTokens is null ? budget + AnthropicModelLimits.FallbackMaxTokens
            : ClaudeThinking.MaxTokens(request, modelId, ref budget, "bedrock");
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        BedrockMessageWriter.Write(writer, request.Messages, fetchedImages ?? new Dictionary<string, (string, string)>());
        WriteInferenceConfig(writer, root, maxTokens);
        BedrockToolWriter.Write(writer, root, request.Messages);
        WriteAdditionalFields(writer, root, modelId, budget);
        writer.WriteEndObject();
    }

    /// <summary>Extended thinking is Claude's; other Bedrock models either always reason (DeepSeek R1) or take no budget.</summary>
    private static int? ThinkingBudget(JsonElement root, string modelId)
    {
        var budget = ClaudeThinking.Budget(root);
        if (budget is not null && !IsClaude(modelId))
            throw GatewayError.InvalidRequest($"'reasoning_effort' is supported on Bedrock for Anthropic Claude models only, not '{modelId}'.",
                "reasoning_effort", "unsupported_parameter");
        return budget;
    }

    private static bool IsClaude(string modelId) => modelId.Contains("anthropic.claude", StringComparison.Ordinal) ||
        modelId.Contains("claude", StringComparison.OrdinalIgnoreCase) && modelId.StartsWith("arn:", StringComparison.Ordinal);

    private static void WriteAdditionalFields(Utf8JsonWriter writer, JsonElement root, string modelId, int? budget)
    {
        var extras = root.TryGetProperty(ExtraFieldsParameter, out var e) && e.ValueKind != JsonValueKind.Null ? e : default;
        if (extras.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object))
            throw GatewayError.InvalidRequest($"'{ExtraFieldsParameter}' must be an object.", ExtraFieldsParameter, "invalid_type");
        var topK = root.TryGetProperty("top_k", out var k) && k.ValueKind != JsonValueKind.Null ? k : default;
        if (topK.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Number) || topK.ValueKind == JsonValueKind.Number && !topK.TryGetInt32(out _))
            throw GatewayError.InvalidRequest("'top_k' must be an integer.", "top_k", "invalid_type");
        if (budget is null && topK.ValueKind == JsonValueKind.Undefined && extras.ValueKind == JsonValueKind.Undefined)
            return;
        writer.WriteStartObject(ExtraFieldsParameter);
        if (budget is { } b)
        {
            writer.WriteStartObject("thinking");
            writer.WriteString("type", "enabled");
            writer.WriteNumber("budget_tokens", b);
            writer.WriteEndObject();
        }
        if (topK.ValueKind == JsonValueKind.Number)
        {
            // Nova reads top-k from its own inferenceConfig; Claude, Mistral and Cohere from a top-level top_k.
            if (modelId.Contains("amazon.nova", StringComparison.Ordinal))
            {
                writer.WriteStartObject("inferenceConfig");
                writer.WriteNumber("topK", topK.GetInt32());
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNumber("top_k", topK.GetInt32());
            }
        }
        if (extras.ValueKind == JsonValueKind.Object)
            foreach (var field in extras.EnumerateObject())
                if (!(budget is not null && field.NameEquals("thinking")))
                    field.WriteTo(writer);
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

    private static void WriteInferenceConfig(Utf8JsonWriter writer, JsonElement root, long? maxTokens)
    {
        writer.WriteStartObject("inferenceConfig");
        if (maxTokens is { } max)
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
