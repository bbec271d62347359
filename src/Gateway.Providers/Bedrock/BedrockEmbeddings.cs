using System.Buffers;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Usage;
using Gateway.Providers.Http;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// OpenAI embeddings on Bedrock through InvokeModel (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html).
/// Titan Text Embeddings take one text per call (<c>inputText</c>; v2 also <c>dimensions</c> 256/512/1024 and
/// <c>normalize</c>), so an array becomes one call per text, run a few at a time. Cohere Embed takes up to 96 texts
/// per call (<c>texts</c>, <c>input_type</c>), so an array becomes as few calls as that allows. Vectors come back in
/// input order and in the encoding the client asked for; token counts are Bedrock's own
/// (<c>X-Amzn-Bedrock-Input-Token-Count</c>, else Titan's <c>inputTextTokenCount</c>).
/// </summary>
internal static class BedrockEmbeddings
{
    public const int CohereBatch = 96;
    private const int Parallelism = 4;
    private static readonly int[] TitanV2Dimensions = [256, 512, 1024];

    private enum Family { TitanV1, TitanV2, CohereV3, CohereV4 }

    public static async Task<EmbeddingResponse> EmbedAsync(EmbeddingCall call, BedrockProvider.Target target, HttpClient client, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var request = call.Request;
        var texts = request.Texts ?? throw GatewayError.InvalidRequest(
            "Bedrock embedding models take text: send 'input' as a string or an array of strings, not token ids.", "input", "invalid_value");
        var family = FamilyOf(target.ModelId);
        CheckDimensions(family, request.Dimensions, target.ModelId);
        var batch = family is Family.CohereV3 or Family.CohereV4 ? CohereBatch : 1;
        var batches = texts.Chunk(batch).Select((chunk, i) => (Index: i * batch, Texts: chunk)).ToArray();
        var vectors = new float[texts.Count][];
        long tokens = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (part, ct) =>
            {
                var (partVectors, partTokens) = await InvokeAsync(call, target, client, family, part.Texts, time, ct).ConfigureAwait(false);
                if (partVectors.Count != part.Texts.Length)
                    throw Invalid(call.Deployment.Id);
                for (var i = 0; i < partVectors.Count; i++)
                    vectors[part.Index + i] = partVectors[i];
                Interlocked.Add(ref tokens, partTokens);
            }).ConfigureAwait(false);
        var body = EmbeddingResponseWriter.Write(target.ModelId, vectors, request.Base64, tokens);
        return new EmbeddingResponse(body, new TokenUsage(tokens, 0), target.ModelId);
    }

    private static Family FamilyOf(string modelId)
    {
        if (modelId.Contains("titan-embed-text-v2", StringComparison.Ordinal))
            return Family.TitanV2;
        if (modelId.Contains("titan-embed-text-v1", StringComparison.Ordinal) || modelId.Contains("titan-embed-g1-text", StringComparison.Ordinal))
            return Family.TitanV1;
        if (modelId.Contains("cohere.embed-v4", StringComparison.Ordinal))
            return Family.CohereV4;
        if (modelId.Contains("cohere.embed", StringComparison.Ordinal))
            return Family.CohereV3;
        throw GatewayError.InvalidRequest(
            $"Bedrock model '{modelId}' is not a supported embedding model: use Amazon Titan Text Embeddings (v1, v2) or Cohere Embed (v3, v4).",
            "model", "unsupported_model");
    }

    private static void CheckDimensions(Family family, int? dimensions, string modelId)
    {
        if (dimensions is not { } d)
            return;
        var ok = family switch
        {
            Family.TitanV2 => TitanV2Dimensions.Contains(d),
            Family.CohereV4 => d is 256 or 512 or 1024 or 1536,
            _ => false,
        };
        if (!ok)
            throw GatewayError.InvalidRequest(family is Family.TitanV2 or Family.CohereV4
                    ? $"'dimensions' {d} is not offered by Bedrock model '{modelId}' (Titan v2: 256, 512, 1024; Cohere v4: 256, 512, 1024, 1536)."
                    : $"Bedrock model '{modelId}' has a fixed size; remove 'dimensions'.",
                "dimensions", "unsupported_value");
    }

    private static async Task<(IReadOnlyList<float[]> Vectors, long Tokens)> InvokeAsync(EmbeddingCall call, BedrockProvider.Target target, HttpClient client,
        Family family, string[] texts, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(256);
        WriteBody(body, family, texts, call.Request);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url("invoke"))
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory) { Headers = { ContentType = UpstreamHttp.Json } },
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        using var response = await UpstreamHttp.SendAsync(client, request, call.Deployment.Id, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await BedrockProvider.ErrorFromAsync(response, call.Deployment, target, time, cancellationToken).ConfigureAwait(false);
        var bytes = await UpstreamHttp.ReadBodyAsync(response, call.Deployment.Id, cancellationToken).ConfigureAwait(false);
        long? headerTokens = response.Headers.TryGetValues("X-Amzn-Bedrock-Input-Token-Count", out var values) &&
                             long.TryParse(values.FirstOrDefault(), out var count) ? count : null;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return ReadBody(doc.RootElement, family, headerTokens);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Invalid(call.Deployment.Id);
        }
    }

    private static void WriteBody(IBufferWriter<byte> output, Family family, string[] texts, EmbeddingRequest request)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        if (family is Family.TitanV1 or Family.TitanV2)
        {
            writer.WriteString("inputText", texts[0]);
            if (family == Family.TitanV2)
            {
                if (request.Dimensions is { } d)
                    writer.WriteNumber("dimensions", d);
                writer.WriteBoolean("normalize", true);
            }
        }
        else
        {
            writer.WriteStartArray("texts");
            foreach (var text in texts)
                writer.WriteStringValue(text);
            writer.WriteEndArray();
            // Cohere requires input_type; OpenAI has none, so documents unless the client names one (LiteLLM's input_type).
            var inputType = request.Root.TryGetProperty("input_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "search_document";
            writer.WriteString("input_type", inputType);
            writer.WriteStartArray("embedding_types");
            writer.WriteStringValue("float");
            writer.WriteEndArray();
            if (family == Family.CohereV4 && request.Dimensions is { } d)
                writer.WriteNumber("output_dimension", d);
        }
        writer.WriteEndObject();
    }

    private static (IReadOnlyList<float[]>, long) ReadBody(JsonElement root, Family family, long? headerTokens)
    {
        if (family is Family.TitanV1 or Family.TitanV2)
        {
            var tokens = headerTokens ?? (root.TryGetProperty("inputTextTokenCount", out var c) && c.TryGetInt64(out var n) ? n : 0);
            return ([Vector(root.GetProperty("embedding"))], tokens);
        }
        // With embedding_types the vectors are keyed by type ({"float": [[...]]}); older answers are a plain array.
        var embeddings = root.GetProperty("embeddings");
        if (embeddings.ValueKind == JsonValueKind.Object)
            embeddings = embeddings.GetProperty("float");
        return (embeddings.EnumerateArray().Select(Vector).ToList(), headerTokens ?? 0);
    }

    private static float[] Vector(JsonElement array)
    {
        var vector = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var value in array.EnumerateArray())
            vector[i++] = value.GetSingle();
        return vector;
    }

    private static GatewayError Invalid(string deploymentId) =>
        new(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' answered an embedding call with a body that is not a Bedrock embedding response.",
            "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);
}
