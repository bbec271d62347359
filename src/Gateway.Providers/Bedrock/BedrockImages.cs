using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Bedrock;

/// <summary>Bedrock takes image bytes, not URLs: <c>data:</c> URLs become <c>image.source.bytes</c>. Fetching http(s) image
/// URLs needs an SSRF-safe fetcher that is not built yet, so they are refused with a 400 rather than fetched unsafely.</summary>
internal static class BedrockImages
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = "png", ["image/jpeg"] = "jpeg", ["image/jpg"] = "jpeg", ["image/gif"] = "gif", ["image/webp"] = "webp",
    };

    public static void Write(Utf8JsonWriter writer, JsonElement part, string path)
    {
        var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url", out var u)
            ? u.GetString() ?? ""
            : "";
        if (!url.StartsWith("data:", StringComparison.Ordinal))
            throw GatewayError.InvalidRequest("Provider 'bedrock' needs images inline as data: URLs (http(s) image URLs are not fetched yet).", path, "unsupported_parameter");
        var comma = url.IndexOf(',');
        var header = comma > 5 ? url[5..comma] : "";
        var mediaType = header.Split(';')[0];
        if (comma < 0 || !header.EndsWith(";base64", StringComparison.Ordinal) || !Formats.TryGetValue(mediaType, out var format))
            throw GatewayError.InvalidRequest("Images must be base64 data: URLs of type png, jpeg, gif or webp.", path, "invalid_value");
        writer.WriteStartObject();
        writer.WriteStartObject("image");
        writer.WriteString("format", format);
        writer.WriteStartObject("source");
        writer.WriteString("bytes", url[(comma + 1)..]);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
