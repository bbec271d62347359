using System.Buffers;
using System.Text.Json;
using Gateway.Core.OpenAI;

namespace Gateway.Providers.OpenAI;

/// <summary>
/// Rewrites a client's body for an OpenAI-compatible upstream: every field is copied as sent (gateway-only fields
/// such as <c>fallbacks</c> excepted) except <c>model</c> (the deployment's model id) and, on streams, <c>stream_options.include_usage</c>, which is
/// always asked for so that cost can be computed; the host hides that chunk from clients that did not ask.
/// </summary>
public static class OpenAIRequestMapper
{
    public static void Write(ChatRequest request, string upstreamModel, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        var wroteStreamOptions = false;
        foreach (var property in request.Root.EnumerateObject())
        {
            if (property.NameEquals("model"))
            {
                writer.WriteString("model", upstreamModel);
            }
            else if (property.NameEquals("stream_options") && request.Stream)
            {
                WriteStreamOptions(writer, property.Value);
                wroteStreamOptions = true;
            }
            else if (!GatewayRequestOptions.FieldNames.Contains(property.Name))
            {
                property.WriteTo(writer);
            }
        }
        if (request.Stream && !wroteStreamOptions)
        {
            writer.WriteStartObject("stream_options");
            writer.WriteBoolean("include_usage", true);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteStreamOptions(Utf8JsonWriter writer, JsonElement options)
    {
        writer.WriteStartObject("stream_options");
        if (options.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in options.EnumerateObject())
                if (!p.NameEquals("include_usage"))
                    p.WriteTo(writer);
        }
        writer.WriteBoolean("include_usage", true);
        writer.WriteEndObject();
    }
}
