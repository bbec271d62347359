using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// OpenAI message content (a string or content parts) to Anthropic content blocks
/// (https://docs.anthropic.com/en/api/messages): text parts become text blocks and image_url parts image blocks,
/// a <c>data:</c> URL as a base64 source and an http(s) URL as a url source. <c>cache_control</c> on a part is kept.
/// Empty text is skipped because Anthropic refuses empty text blocks.
/// </summary>
internal static class AnthropicContentMapper
{
    public static bool HasBlocks(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!.Length > 0,
        JsonValueKind.Array => content.EnumerateArray().Any(p => !IsEmptyText(p)),
        _ => false,
    };

    /// <summary>Writes the blocks of one message's content into an already open array.</summary>
    public static void WriteBlocks(JsonElement content, string path, bool allowImages, Utf8JsonWriter writer)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            WriteText(content.GetString()!, cacheControl: null, writer);
            return;
        }
        if (content.ValueKind != JsonValueKind.Array)
            return;
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{j++}]";
            var type = part.GetProperty("type").GetString();
            var cacheControl = part.TryGetProperty("cache_control", out var cc) && cc.ValueKind == JsonValueKind.Object ? cc : (JsonElement?)null;
            if (type == "text")
                WriteText(TextOf(part, partPath), cacheControl, writer);
            else if (type == "image_url" && allowImages)
                WriteImage(part, partPath, cacheControl, writer);
            else
                throw GatewayError.InvalidRequest(
                    $"Content part type '{type}' at '{partPath}' is not supported by provider 'anthropic' in this message.",
                    partPath + ".type", "unsupported_content");
        }
    }

    private static void WriteText(string text, JsonElement? cacheControl, Utf8JsonWriter writer)
    {
        if (text.Length == 0)
            return;
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("text", text);
        WriteCacheControl(cacheControl, writer);
        writer.WriteEndObject();
    }

    private static void WriteImage(JsonElement part, string path, JsonElement? cacheControl, Utf8JsonWriter writer)
    {
        var url = ImageUrl(part, path);
        writer.WriteStartObject();
        writer.WriteString("type", "image");
        writer.WriteStartObject("source");
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var (mediaType, data) = ParseDataUrl(url, path);
            writer.WriteString("type", "base64");
            writer.WriteString("media_type", mediaType);
            writer.WriteString("data", data);
        }
        else if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            writer.WriteString("type", "url");
            writer.WriteString("url", url);
        }
        else
        {
            throw GatewayError.InvalidRequest($"'{path}.image_url.url' must be a data: URL or an http(s) URL.", path + ".image_url.url", "invalid_value");
        }
        writer.WriteEndObject();
        WriteCacheControl(cacheControl, writer);
        writer.WriteEndObject();
    }

    private static string ImageUrl(JsonElement part, string path)
    {
        if (part.TryGetProperty("image_url", out var image))
        {
            if (image.ValueKind == JsonValueKind.String)
                return image.GetString()!;
            if (image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
                return url.GetString()!;
        }
        throw GatewayError.InvalidRequest($"Missing required parameter: '{path}.image_url.url'.", path + ".image_url.url", "missing_required_parameter");
    }

    /// <summary>Splits <c>data:image/png;base64,AAAA</c> into its media type and base64 payload.</summary>
    internal static (string MediaType, string Data) ParseDataUrl(string url, string path)
    {
        var comma = url.IndexOf(',');
        var header = comma < 0 ? "" : url[5..comma];
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase) || header.Length == ";base64".Length)
            throw GatewayError.InvalidRequest($"'{path}.image_url.url' must be a base64 data URL such as 'data:image/png;base64,...'.",
                path + ".image_url.url", "invalid_value");
        return (header[..^";base64".Length].ToLowerInvariant(), url[(comma + 1)..]);
    }

    private static string TextOf(JsonElement part, string path) =>
        part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()!
            : throw GatewayError.InvalidRequest($"Missing required parameter: '{path}.text'.", path + ".text", "missing_required_parameter");

    private static bool IsEmptyText(JsonElement part) =>
        part.TryGetProperty("type", out var t) && t.ValueEquals("text") &&
        part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String && text.GetString()!.Length == 0;

    private static void WriteCacheControl(JsonElement? cacheControl, Utf8JsonWriter writer)
    {
        if (cacheControl is { } cc)
        {
            writer.WritePropertyName("cache_control");
            cc.WriteTo(writer);
        }
    }
}
