using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Bedrock;

/// <summary>Bedrock takes image bytes, not URLs: <c>data:</c> URLs become <c>image.source.bytes</c>; http(s) URLs arrive
/// here already fetched by the provider through <see cref="Http.SafeImageFetcher"/>.</summary>
internal static class BedrockImages
{
    private static readonly Dictionary<string, string> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/png"] = "png", ["image/jpeg"] = "jpeg", ["image/jpg"] = "jpeg", ["image/gif"] = "gif", ["image/webp"] = "webp",
    };

    public static void Write(Utf8JsonWriter writer, JsonElement part, string path, IReadOnlyDictionary<string, (string Base64, string MediaType)> fetched)
    {
        var url = part.TryGetProperty("image_url", out var image) && image.ValueKind == JsonValueKind.Object && image.TryGetProperty("url", out var u)
            ? u.GetString() ?? ""
            : "";
        if (fetched.TryGetValue(url, out var bytes))
            url = $"data:{bytes.MediaType};base64,{bytes.Base64}";
        if (!url.StartsWith("data:", StringComparison.Ordinal))
            throw GatewayError.InvalidRequest("Images must be data: URLs or http(s) URLs.", path, "invalid_value");
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
