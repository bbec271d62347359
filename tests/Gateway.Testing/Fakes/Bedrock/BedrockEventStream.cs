using System.Buffers.Binary;
using System.Text;

namespace Gateway.Testing.Fakes.Bedrock;

/// <summary>
/// Encodes AWS event-stream frames (application/vnd.amazon.eventstream) as ConverseStream sends them: a 12-byte prelude
/// (total length, headers length, CRC32 of those 8 bytes), string headers, the JSON payload, and a CRC32 of everything
/// before it. Written from the format description, independently of AWSSDK.Core, so the gateway's decoder (the SDK's)
/// and boto3 both check this encoder.
/// </summary>
public static class BedrockEventStream
{
    public const string ContentType = "application/vnd.amazon.eventstream";

    public static byte[] Event(string eventType, string json) =>
        Frame([(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], Encoding.UTF8.GetBytes(json));

    /// <summary>A mid-stream failure after HTTP 200, e.g. <c>throttlingException</c> or <c>modelStreamErrorException</c>.</summary>
    public static byte[] Exception(string exceptionType, string message) =>
        Frame([(":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")],
            Encoding.UTF8.GetBytes($$"""{"message":"{{message}}"}"""));

    public static byte[] MessageStart() => Event("messageStart", """{"p":"abcdefgh","role":"assistant"}""");

    public static byte[] Text(int block, string text) =>
        Event("contentBlockDelta", $$"""{"contentBlockIndex":{{block}},"delta":{"text":"{{text}}"},"p":"abc"}""");

    public static byte[] Reasoning(int block, string text) =>
        Event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"reasoningContent\":{\"text\":\"" + text + "\"}}}");

    public static byte[] ToolStart(int block, string id, string name) =>
        Event("contentBlockStart", "{\"contentBlockIndex\":" + block + ",\"start\":{\"toolUse\":{\"toolUseId\":\"" + id + "\",\"name\":\"" + name + "\"}}}");

    public static byte[] ToolInput(int block, string fragment) =>
        Event("contentBlockDelta", "{\"contentBlockIndex\":" + block + ",\"delta\":{\"toolUse\":{\"input\":" +
            System.Text.Json.JsonSerializer.Serialize(fragment, WireJson.Default.String) + "}}}");

    public static byte[] BlockStop(int block) => Event("contentBlockStop", "{\"contentBlockIndex\":" + block + "}");

    public static byte[] MessageStop(string reason = "end_turn") => Event("messageStop", "{\"stopReason\":\"" + reason + "\"}");

    public static byte[] Metadata(int input, int output, int cacheRead = 0, int cacheWrite = 0) => Event("metadata",
        "{\"usage\":{\"inputTokens\":" + input + ",\"outputTokens\":" + output + ",\"totalTokens\":" + (input + output + cacheRead + cacheWrite) +
        ",\"cacheReadInputTokens\":" + cacheRead + ",\"cacheWriteInputTokens\":" + cacheWrite + "},\"metrics\":{\"latencyMs\":42}}");

    /// <summary>A whole text answer: messageStart, one delta per word, stops, metadata.</summary>
    public static byte[][] TextAnswer(int input, int output, params string[] words) =>
        [MessageStart(), .. words.Select(w => Text(0, w)), BlockStop(0), MessageStop(), Metadata(input, output)];

    public static FakeResponse Response(params byte[][] frames) => Response(TimeSpan.Zero, frames);

    public static FakeResponse Response(TimeSpan delayBetween, params byte[][] frames) => new()
    {
        ContentType = ContentType,
        RawParts = frames.Select(f => (f, delayBetween)).ToList(),
    };

    public static byte[] Frame(IReadOnlyList<(string Name, string Value)> headers, byte[] payload)
    {
        using var headerBytes = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var n = Encoding.UTF8.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            headerBytes.WriteByte((byte)n.Length);
            headerBytes.Write(n);
            headerBytes.WriteByte(7); // string
            headerBytes.WriteByte((byte)(v.Length >> 8));
            headerBytes.WriteByte((byte)v.Length);
            headerBytes.Write(v);
        }
        var total = 12 + (int)headerBytes.Length + payload.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(frame, total);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), (int)headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32(frame.AsSpan(0, 8)));
        headerBytes.ToArray().CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + (int)headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32(frame.AsSpan(0, total - 4)));
        return frame;
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as the event-stream format specifies.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
