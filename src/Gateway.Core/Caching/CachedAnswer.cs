using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using Gateway.Core.Usage;

namespace Gateway.Core.Caching;

/// <summary>
/// A stored answer: the OpenAI <c>chat.completion</c> body as the client first received it, with what the usage record
/// of a later hit needs (usage, what it cost, who answered). Serialised as one small JSON envelope with the body
/// embedded verbatim; above a threshold the envelope is Brotli-compressed. The first byte says which: <c>J</c> or <c>B</c>.
/// </summary>
public sealed record CachedAnswer(ReadOnlyMemory<byte> Body, TokenUsage Usage, decimal? Cost, string? Deployment, string? Provider, string? ProviderModel)
{
    private const byte Plain = (byte)'J';
    private const byte Brotli = (byte)'B';

    public byte[] Encode(int compressAboveBytes)
    {
        var json = new ArrayBufferWriter<byte>(Body.Length + 256);
        json.Write([Plain]);
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt", Usage.PromptTokens);
            w.WriteNumber("completion", Usage.CompletionTokens);
            w.WriteNumber("cached_read", Usage.CachedReadTokens);
            w.WriteNumber("cache_write", Usage.CacheWriteTokens);
            w.WriteNumber("reasoning", Usage.ReasoningTokens);
            w.WriteEndObject();
            if (Cost is { } cost) w.WriteString("cost", cost.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Deployment is not null) w.WriteString("deployment", Deployment);
            if (Provider is not null) w.WriteString("provider", Provider);
            if (ProviderModel is not null) w.WriteString("provider_model", ProviderModel);
            w.WritePropertyName("body");
            w.WriteRawValue(Body.Span, skipInputValidation: true);
            w.WriteEndObject();
        }
        if (json.WrittenCount <= compressAboveBytes)
            return json.WrittenSpan.ToArray();
        var compressed = new byte[1 + BrotliEncoder.GetMaxCompressedLength(json.WrittenCount - 1)];
        compressed[0] = Brotli;
        if (!BrotliEncoder.TryCompress(json.WrittenSpan[1..], compressed.AsSpan(1), out var written, quality: 5, window: 22))
            throw new InvalidOperationException("Brotli compression failed.");
        return compressed[..(written + 1)];
    }

    /// <summary>Null for an entry this build cannot read (corrupt, or written by a future format): treated as a miss.</summary>
    public static CachedAnswer? Decode(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty)
            return null;
        byte[]? inflated = null;
        var json = stored[1..];
        if (stored[0] == Brotli)
        {
            using var input = new MemoryStream(stored[1..].ToArray());
            using var brotli = new BrotliStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            try
            {
                brotli.CopyTo(output);
            }
            catch (InvalidDataException)
            {
                return null;
            }
            inflated = output.ToArray();
            json = inflated;
        }
        else if (stored[0] != Plain)
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.GetProperty("v").GetInt32() != 1)
                return null;
            var u = root.GetProperty("usage");
            var usage = new TokenUsage(u.GetProperty("prompt").GetInt64(), u.GetProperty("completion").GetInt64(), u.GetProperty("cached_read").GetInt64(),
                u.GetProperty("cache_write").GetInt64(), u.GetProperty("reasoning").GetInt64());
            decimal? cost = root.TryGetProperty("cost", out var c)
                ? decimal.Parse(c.GetString()!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                : null;
            return new CachedAnswer(System.Text.Encoding.UTF8.GetBytes(root.GetProperty("body").GetRawText()), usage, cost,
                Optional(root, "deployment"), Optional(root, "provider"), Optional(root, "provider_model"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string? Optional(JsonElement root, string name) => root.TryGetProperty(name, out var v) ? v.GetString() : null;
}
