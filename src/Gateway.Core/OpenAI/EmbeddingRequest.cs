using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.OpenAI;

/// <summary>
/// A validated OpenAI embeddings body. <c>input</c> is a string, an array of strings, an array of token ids or an
/// array of token-id arrays; <see cref="Texts"/> lists the strings for providers that need text.
/// </summary>
public sealed class EmbeddingRequest : IDisposable
{
    private const int MaxInputs = 2048;
    private readonly JsonDocument _document;

    private EmbeddingRequest(JsonDocument document, string model, IReadOnlyList<string>? texts, bool base64, int? dimensions)
    {
        _document = document;
        Model = model;
        Texts = texts;
        Base64 = base64;
        Dimensions = dimensions;
    }

    public JsonElement Root => _document.RootElement;
    public string Model { get; }
    /// <summary>The inputs as text; null when the client sent token ids.</summary>
    public IReadOnlyList<string>? Texts { get; }
    /// <summary><c>encoding_format: base64</c> (little-endian float32 vectors, base64-encoded).</summary>
    public bool Base64 { get; }
    public int? Dimensions { get; }
    public int InputCount => Texts?.Count ?? Root.GetProperty("input").GetArrayLength();

    public static EmbeddingRequest Parse(ReadOnlyMemory<byte> body)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            throw GatewayError.InvalidRequest("The request body is not valid UTF-8.", code: "invalid_json");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            throw GatewayError.InvalidRequest("The request body is not valid JSON.", code: "invalid_json");
        }
        try
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw GatewayError.InvalidRequest("The request body must be a JSON object.", code: "invalid_type");
            var model = RequestFields.RequiredString(root, "model");
            var texts = ReadInput(root);
            var format = RequestFields.OptionalString(root, "encoding_format") ?? "float";
            if (format is not ("float" or "base64"))
                throw GatewayError.InvalidRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format", "invalid_value");
            var dimensions = (int?)RequestFields.OptionalPositiveInt(root, "dimensions");
            RequestFields.OptionalString(root, "user");
            return new EmbeddingRequest(document, model, texts, format == "base64", dimensions);
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static List<string>? ReadInput(JsonElement root)
    {
        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
            throw GatewayError.InvalidRequest("Missing required parameter: 'input'.", "input", "missing_required_parameter");
        if (input.ValueKind == JsonValueKind.String)
            return [NonEmpty(input.GetString()!, "input")];
        if (input.ValueKind != JsonValueKind.Array)
            throw RequestFields.WrongType("input", "a string or an array");
        var count = input.GetArrayLength();
        if (count is 0 or > MaxInputs)
            throw GatewayError.InvalidRequest($"'input' must hold between 1 and {MaxInputs} items.", "input", "invalid_value");
        var first = input[0].ValueKind;
        if (first == JsonValueKind.Number || first == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (item.ValueKind != first)
                    throw RequestFields.WrongType($"input[{i}]", "of the same kind as input[0]");
                i++;
            }
            return null;
        }
        var texts = new List<string>(count);
        var j = 0;
        foreach (var item in input.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw RequestFields.WrongType($"input[{j}]", "a string");
            texts.Add(NonEmpty(item.GetString()!, $"input[{j++}]"));
        }
        return texts;
    }

    private static string NonEmpty(string s, string path) => s.Length > 0
        ? s
        : throw GatewayError.InvalidRequest($"'{path}' must not be empty.", path, "invalid_value");

    public void Dispose() => _document.Dispose();
}
