namespace Gateway.Testing.Fakes;

/// <summary>OpenAI wire payloads as the real API sends them (https://platform.openai.com/docs/api-reference/chat).</summary>
public static class OpenAIWire
{
    public static string Completion(string content, int prompt = 10, int completion = 5, int cached = 0, string model = "gpt-4o-mini-2024-07-18",
        string extra = "") =>
        $$$"""
        {"id":"chatcmpl-fake1","object":"chat.completion","created":1732000000,"model":"{{{model}}}",
         "choices":[{"index":0,"message":{"role":"assistant","content":"{{{content}}}","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}},
                  "prompt_tokens_details":{"cached_tokens":{{{cached}}},"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
         "service_tier":"default","system_fingerprint":"fp_fake"{{{extra}}}}
        """;

    public static string ToolCallCompletion(string name, string arguments) =>
        $$$"""
        {"id":"chatcmpl-fake2","object":"chat.completion","created":1732000000,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,
           "tool_calls":[{"id":"call_abc123","type":"function","function":{"name":"{{{name}}}","arguments":{{{System.Text.Json.JsonSerializer.Serialize(arguments, WireJson.Default.String)}}}}}]},
           "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":50,"completion_tokens":12,"total_tokens":62}}
        """;

    public static string Chunk(string content, int index = 0) =>
        $$$"""{"id":"chatcmpl-fake3","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_fake","choices":[{"index":{{{index}}},"delta":{"content":{{{System.Text.Json.JsonSerializer.Serialize(content, WireJson.Default.String)}}}},"logprobs":null,"finish_reason":null}]}""";

    public static string RoleChunk() =>
        """{"id":"chatcmpl-fake3","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}""";

    public static string FinishChunk(string reason = "stop") =>
        $$$"""{"id":"chatcmpl-fake3","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"{{{reason}}}"}]}""";

    public static string UsageChunk(int prompt = 10, int completion = 5, int cached = 0) =>
        $$$"""{"id":"chatcmpl-fake3","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}},"prompt_tokens_details":{"cached_tokens":{{{cached}}}},"completion_tokens_details":{"reasoning_tokens":0}}""" + "}";

    public static string ToolCallChunk(int index, string? id, string? name, string arguments) =>
        $$$"""{"id":"chatcmpl-fake4","object":"chat.completion.chunk","created":1732000000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"tool_calls":[{"index":{{{index}}}{{{(id is null ? "" : $",\"id\":\"{id}\",\"type\":\"function\"")}}},"function":{{{{(name is null ? "" : $"\"name\":\"{name}\",")}}}"arguments":{{{System.Text.Json.JsonSerializer.Serialize(arguments, WireJson.Default.String)}}}}}]},"logprobs":null,"finish_reason":null}]}""";

    /// <summary>A normal streamed answer: role chunk, one chunk per word, finish chunk, usage chunk.</summary>
    public static FakeResponse StreamOf(params string[] words)
    {
        var chunks = new List<string> { RoleChunk() };
        chunks.AddRange(words.Select(w => Chunk(w)));
        chunks.Add(FinishChunk());
        chunks.Add(UsageChunk(10, words.Length));
        return FakeResponse.Sse(chunks.ToArray());
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class WireJson : System.Text.Json.Serialization.JsonSerializerContext;
