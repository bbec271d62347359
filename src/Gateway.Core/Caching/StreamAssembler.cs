using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Core.OpenAI;
using Gateway.Core.Usage;

namespace Gateway.Core.Caching;

/// <summary>
/// Rebuilds the <c>chat.completion</c> a stream amounted to, so a streamed answer can be cached and later served to
/// plain and streaming requests alike. Fed each chunk as it passes (only when the answer will be stored); keeps the
/// text, reasoning, tool calls and finish reason per choice, nothing else.
/// </summary>
public sealed class StreamAssembler
{
    private sealed class Choice
    {
        public readonly StringBuilder Content = new();
        public readonly StringBuilder Reasoning = new();
        public readonly SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)> Tools = [];
        public bool HasContent;
        public string? Finish;
    }

    private readonly SortedDictionary<int, Choice> _choices = [];
    private string _id = "";
    private string _model = "";
    private long _created;

    public void Add(ReadOnlySpan<byte> chunk)
    {
        var reader = new Utf8JsonReader(chunk);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) _id = id.GetString()!;
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String) _model = model.GetString()!;
        if (root.TryGetProperty("created", out var created) && created.TryGetInt64(out var c)) _created = c;
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            return;
        foreach (var choice in choices.EnumerateArray())
        {
            var index = choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
            if (!_choices.TryGetValue(index, out var state))
                _choices[index] = state = new Choice();
            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
                state.Finish = finish.GetString();
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                AddDelta(state, delta);
        }
    }

    private static void AddDelta(Choice state, JsonElement delta)
    {
        if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            state.Content.Append(content.GetString());
            state.HasContent = true;
        }
        if (delta.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String)
            state.Reasoning.Append(reasoning.GetString());
        if (!delta.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
            return;
        foreach (var call in calls.EnumerateArray())
        {
            var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
            var tool = state.Tools.TryGetValue(index, out var t) ? t : (null, null, new StringBuilder());
            if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) tool.Id = id.GetString();
            if (call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object)
            {
                if (f.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String) tool.Name = name.GetString();
                if (f.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.String) tool.Arguments.Append(args.GetString());
            }
            state.Tools[index] = tool;
        }
    }

    /// <summary>The whole answer as OpenAI's <c>chat.completion</c>, with the stream's usage.</summary>
    public byte[] ToCompletion(TokenUsage? usage)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(output))
        {
            w.WriteStartObject();
            w.WriteString("id", _id);
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", _created);
            w.WriteString("model", _model);
            w.WriteStartArray("choices");
            foreach (var (index, choice) in _choices)
                WriteChoice(w, index, choice);
            w.WriteEndArray();
            if (usage is { } u)
            {
                w.WritePropertyName("usage");
                JsonSerializer.Serialize(w, CompletionUsage.From(u), OpenAIJsonContext.Default.CompletionUsage);
            }
            w.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static void WriteChoice(Utf8JsonWriter w, int index, Choice choice)
    {
        w.WriteStartObject();
        w.WriteNumber("index", index);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        if (choice.HasContent) w.WriteString("content", choice.Content.ToString()); else w.WriteNull("content");
        if (choice.Reasoning.Length > 0)
            w.WriteString("reasoning_content", choice.Reasoning.ToString());
        w.WriteNull("refusal");
        if (choice.Tools.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var (_, tool) in choice.Tools)
            {
                w.WriteStartObject();
                w.WriteString("id", tool.Id ?? "");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", tool.Name ?? "");
                w.WriteString("arguments", tool.Arguments.ToString());
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", choice.Finish ?? "stop");
        w.WriteEndObject();
    }
}
