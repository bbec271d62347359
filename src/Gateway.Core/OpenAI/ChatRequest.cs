using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.OpenAI;

/// <summary>
/// A validated view over an OpenAI chat-completions body. The parsed document is kept whole so that
/// fields the gateway does not interpret reach OpenAI-compatible upstreams unchanged; only the fields
/// the gateway acts on are lifted into properties.
/// </summary>
public sealed class ChatRequest : IDisposable
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    private readonly JsonDocument _document;

    private ChatRequest(JsonDocument document, string model)
    {
        _document = document;
        Model = model;
    }

    public JsonElement Root => _document.RootElement;
    public string Model { get; }
    public JsonElement Messages { get; private init; }
    public int MessageCount { get; private init; }
    public bool Stream { get; private init; }
    /// <summary>The client asked for the final usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; private init; }
    public long? MaxTokens { get; private init; }
    public string? User { get; private init; }
    public bool HasTools { get; private init; }
    /// <summary>Gateway-only fields (fallbacks, num_retries, timeout, mock_testing_fallbacks); never forwarded.</summary>
    public GatewayRequestOptions Options { get; private init; } = GatewayRequestOptions.None;

    /// <summary>Parses and validates; throws <see cref="GatewayError"/> (400) naming the offending field.</summary>
    public static ChatRequest Parse(ReadOnlyMemory<byte> body)
    {
        // JsonDocument checks structure, not text: invalid UTF-8 inside a string would only surface when a
        // provider decodes it. One vectorised pass refuses it here instead.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
            throw GatewayError.InvalidRequest("The request body is not valid UTF-8.", code: "invalid_json");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            throw GatewayError.InvalidRequest("The request body is not valid JSON.", code: "invalid_json");
        }
        catch (ArgumentException)
        {
            throw GatewayError.InvalidRequest("The request body is not valid UTF-8 JSON.", code: "invalid_json");
        }

        try
        {
            return Validate(document);
        }
        catch (InvalidOperationException)
        {
            // Raised lazily when a string holds invalid UTF-8 (JsonDocument validates structure, not text).
            document.Dispose();
            throw GatewayError.InvalidRequest("The request body is not valid UTF-8 JSON.", code: "invalid_json");
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static ChatRequest Validate(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw GatewayError.InvalidRequest("The request body must be a JSON object.", code: "invalid_type");

        var model = RequestFields.RequiredString(root, "model");
        var messages = RequestFields.Required(root, "messages", JsonValueKind.Array, "an array");
        var count = MessageValidator.Validate(messages);
        var stream = RequestFields.OptionalBool(root, "stream") ?? false;
        var includeUsage = false;
        if (RequestFields.Optional(root, "stream_options", JsonValueKind.Object, "an object") is { } options)
            includeUsage = RequestFields.OptionalBool(options, "include_usage", "stream_options.include_usage") ?? false;

        var maxTokens = RequestFields.OptionalPositiveInt(root, "max_completion_tokens")
                        ?? RequestFields.OptionalPositiveInt(root, "max_tokens");
        RequestFields.OptionalNumber(root, "temperature", 0, 2);
        RequestFields.OptionalNumber(root, "top_p", 0, 1);
        RequestFields.OptionalPositiveInt(root, "n");
        var user = RequestFields.OptionalString(root, "user");
        var tools = RequestFields.Optional(root, "tools", JsonValueKind.Array, "an array");
        if (tools is { } toolList)
            MessageValidator.ValidateTools(toolList);
        MessageValidator.ValidateToolChoice(root);
        MessageValidator.ValidateResponseFormat(root);
        if (root.TryGetProperty("stop", out var stop) && (stop.ValueKind is not (JsonValueKind.String or JsonValueKind.Array or JsonValueKind.Null) ||
                                                          stop.ValueKind == JsonValueKind.Array && stop.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String)))
            throw GatewayError.InvalidRequest("'stop' must be a string or an array of strings.", "stop", "invalid_type");

        return new ChatRequest(document, model)
        {
            Messages = messages,
            MessageCount = count,
            Stream = stream,
            IncludeUsage = stream && includeUsage,
            MaxTokens = maxTokens,
            User = user,
            HasTools = tools is { } t && t.GetArrayLength() > 0,
            Options = GatewayRequestOptions.Read(root),
        };
    }

    public void Dispose() => _document.Dispose();
}
