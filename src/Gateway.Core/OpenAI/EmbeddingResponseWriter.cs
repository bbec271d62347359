using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Gateway.Core.OpenAI;

/// <summary>Writes OpenAI's <c>CreateEmbeddingResponse</c> for providers that return raw vectors, as floats or as
/// base64 of little-endian float32 (what OpenAI's <c>encoding_format: base64</c> returns).</summary>
public static class EmbeddingResponseWriter
{
    public static byte[] Write(string model, IReadOnlyList<float[]> vectors, bool base64, long promptTokens)
    {
        var output = new ArrayBufferWriter<byte>(vectors.Count * 4096 + 256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < vectors.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                if (base64)
                {
                    writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(vectors[i].AsSpan()));
                }
                else
                {
                    writer.WriteStartArray("embedding");
                    foreach (var value in vectors[i])
                        writer.WriteNumberValue(value);
                    writer.WriteEndArray();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("model", model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", promptTokens);
            writer.WriteNumber("total_tokens", promptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }
}
