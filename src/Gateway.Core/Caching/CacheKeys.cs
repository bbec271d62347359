using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Core.OpenAI;

namespace Gateway.Core.Caching;

/// <summary>
/// The cache key of a chat request: SHA-256 over the tenant scope, the namespace, the model group and the request's
/// answer-shaping fields in canonical JSON (object keys sorted at every depth, so key order never splits the cache).
/// Fields that do not change the answer are left out: <c>model</c> (the group stands in), <c>user</c>, <c>metadata</c>,
/// <c>stream</c>, <c>stream_options</c>, <c>cache</c> and the gateway's routing options; everything else (messages,
/// tools, tool_choice, response_format, sampling parameters, seed, unknown provider fields) is in.
/// </summary>
public static class CacheKeys
{
    private static readonly HashSet<string> Excluded =
        new(["model", "user", "stream", "stream_options", .. GatewayRequestOptions.FieldNames], StringComparer.Ordinal);

    public static string For(ChatRequest request, string group, string scope, string? @namespace)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("\u0001scope", scope);
            writer.WriteString("\u0001namespace", @namespace ?? "");
            writer.WriteString("\u0001group", group);
            foreach (var property in Sorted(request.Root))
            {
                if (Excluded.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null)
                    continue;
                writer.WritePropertyName(property.Name);
                WriteCanonical(writer, property.Value);
            }
            writer.WriteEndObject();
        }
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in Sorted(value))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                    WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static IEnumerable<JsonProperty> Sorted(JsonElement obj) =>
        obj.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal);
}
