using System.Text;
using System.Text.Json;

namespace Gateway.Testing.Fakes.Anthropic;

/// <summary>
/// Anthropic Messages API payloads as the real API sends them (https://docs.anthropic.com/en/api/messages,
/// https://docs.anthropic.com/en/docs/build-with-claude/streaming, https://docs.anthropic.com/en/api/errors).
/// </summary>
public static class AnthropicWire
{
    public static string Message(string text, int input = 12, int output = 6, int cacheRead = 0, int cacheWrite = 0,
        string stopReason = "end_turn", string model = FakeAnthropic.Model) =>
        Envelope($$$"""[{"type":"text","text":{{{Str(text)}}}}]""", stopReason, Usage(input, output, cacheRead, cacheWrite), model);

    public static string ToolUseMessage(string name, string inputJson, string id = "toolu_01A09q90qw90lq917835lq9", string text = "I'll check.") =>
        Envelope($$$"""[{"type":"text","text":{{{Str(text)}}}},{"type":"tool_use","id":"{{{id}}}","name":"{{{name}}}","input":{{{inputJson}}}}]""",
            "tool_use", Usage(310, 54, 0, 0), FakeAnthropic.Model);

    public static string ThinkingMessage(string thinking, string text) =>
        Envelope($$$"""[{"type":"thinking","thinking":{{{Str(thinking)}}},"signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"},{"type":"text","text":{{{Str(text)}}}}]""",
            "end_turn", Usage(40, 120, 0, 0), FakeAnthropic.Model);

    public static string Usage(int input, int output, int cacheRead, int cacheWrite) =>
        $$$"""{"input_tokens":{{{input}}},"cache_creation_input_tokens":{{{cacheWrite}}},"cache_read_input_tokens":{{{cacheRead}}},"cache_creation":{"ephemeral_5m_input_tokens":{{{cacheWrite}}},"ephemeral_1h_input_tokens":0},"output_tokens":{{{output}}},"service_tier":"standard"}""";

    public static string ErrorBody(string type, string message) =>
        $$$"""{"type":"error","error":{"type":"{{{type}}}","message":{{{Str(message)}}}},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""";

    public static FakeResponse ErrorResponse(int status, string type, string message) => FakeResponse.Json(ErrorBody(type, message), status)
        .WithHeader("request-id", "req_011CSHoEeqs5C35K2UUqR7Fy");

    // --- streaming events -------------------------------------------------------------------------------------------

    public static string MessageStart(int input = 25, int cacheRead = 0, int cacheWrite = 0, string model = FakeAnthropic.Model) => Event("message_start",
        $$$"""{"type":"message_start","message":{"id":"msg_01Stream","type":"message","role":"assistant","model":"{{{model}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{{{Usage(input, 1, cacheRead, cacheWrite)}}}}}""");

    public static string TextStart(int index) =>
        Event("content_block_start", $$$"""{"type":"content_block_start","index":{{{index}}},"content_block":{"type":"text","text":""}}""");

    public static string TextDelta(int index, string text) =>
        Event("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"text_delta","text":{{{Str(text)}}}}}""");

    public static string ToolUseStart(int index, string id, string name) =>
        Event("content_block_start", $$$"""{"type":"content_block_start","index":{{{index}}},"content_block":{"type":"tool_use","id":"{{{id}}}","name":"{{{name}}}","input":{} }}""");

    public static string InputJsonDelta(int index, string partialJson) =>
        Event("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"input_json_delta","partial_json":{{{Str(partialJson)}}}}}""");

    public static string ThinkingStart(int index) =>
        Event("content_block_start", $$$"""{"type":"content_block_start","index":{{{index}}},"content_block":{"type":"thinking","thinking":"","signature":""}}""");

    public static string ThinkingDelta(int index, string thinking) =>
        Event("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"thinking_delta","thinking":{{{Str(thinking)}}}}}""");

    public static string SignatureDelta(int index) =>
        Event("content_block_delta", $$$"""{"type":"content_block_delta","index":{{{index}}},"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}""");

    public static string BlockStop(int index) => Event("content_block_stop", $$$"""{"type":"content_block_stop","index":{{{index}}}}""");

    public static string MessageDelta(string stopReason = "end_turn", int output = 15) =>
        Event("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"{{{stopReason}}}","stop_sequence":null},"usage":{"output_tokens":{{{output}}}}}""");

    public static string MessageStop() => Event("message_stop", """{"type":"message_stop"}""");

    public static string Ping() => Event("ping", """{"type": "ping"}""");

    public static string ErrorEvent(string type, string message) => Event("error", ErrorBody(type, message));

    public static string Event(string name, string json) => $"event: {name}\ndata: {json}\n\n";

    /// <summary>An SSE response made of the given events, each flushed on its own.</summary>
    public static FakeResponse Stream(params string[] events) => new()
    {
        ContentType = "text/event-stream; charset=utf-8",
        RawParts = events.Select(e => (Encoding.UTF8.GetBytes(e), TimeSpan.Zero)).ToList(),
    };

    /// <summary>A complete text answer: message_start, one text block streamed a word at a time, message_delta, message_stop.</summary>
    public static FakeResponse TextStream(int input, int output, params string[] words)
    {
        var events = new List<string> { MessageStart(input), TextStart(0), Ping() };
        events.AddRange(words.Select(w => TextDelta(0, w)));
        events.AddRange([BlockStop(0), MessageDelta("end_turn", output), MessageStop()]);
        return Stream(events.ToArray());
    }

    private static string Envelope(string content, string stopReason, string usage, string model) =>
        $$$"""{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"{{{model}}}","content":{{{content}}},"stop_reason":"{{{stopReason}}}","stop_sequence":null,"usage":{{{usage}}}}""";

    private static string Str(string value) => JsonSerializer.Serialize(value, WireJson.Default.String);
}
