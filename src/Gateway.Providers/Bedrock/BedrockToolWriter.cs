using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// <c>tools</c>/<c>tool_choice</c> → <c>toolConfig</c> (auto → auto, required → any, named → tool; none → no toolConfig
/// choice), and assistant <c>tool_calls</c> → <c>toolUse</c> blocks. Converse rejects tool blocks in history without a
/// toolConfig, so a history with tool calls but no tools in the request gets one placeholder tool definition.
/// </summary>
internal static class BedrockToolWriter
{
    private const string PlaceholderTool = "gateway_placeholder_tool";

    public static void Write(Utf8JsonWriter writer, JsonElement root, JsonElement messages)
    {
        var hasTools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        var choice = root.TryGetProperty("tool_choice", out var c) ? c : default;
        var none = choice.ValueKind == JsonValueKind.String && choice.GetString() == "none";
        if (!hasTools && !HistoryHasToolBlocks(messages))
            return;
        writer.WriteStartObject("toolConfig");
        writer.WriteStartArray("tools");
        if (hasTools)
            foreach (var tool in tools.EnumerateArray())
            {
                if (!tool.GetProperty("type").ValueEquals("function"))
                    throw GatewayError.InvalidRequest("Provider 'bedrock' takes function tools only.", "tools", "unsupported_tool_type");
                WriteToolSpec(writer, tool);
                BedrockMessageWriter.CachePoint(writer, tool);
            }
        else
            WritePlaceholder(writer);
        writer.WriteEndArray();
        if (hasTools && !none && choice.ValueKind != JsonValueKind.Undefined)
            WriteChoice(writer, choice);
        writer.WriteEndObject();
    }

    public static void WriteToolUses(Utf8JsonWriter writer, JsonElement calls, int messageIndex)
    {
        var j = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var function = call.GetProperty("function");
            writer.WriteStartObject();
            writer.WriteStartObject("toolUse");
            writer.WriteString("toolUseId", call.GetProperty("id").GetString());
            writer.WriteString("name", function.GetProperty("name").GetString());
            writer.WritePropertyName("input");
            WriteArguments(writer, function, $"messages[{messageIndex}].tool_calls[{j++}].function.arguments");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
    }

    private static void WriteArguments(Utf8JsonWriter writer, JsonElement function, string path)
    {
        var text = function.TryGetProperty("arguments", out var a) ? a.GetString() : null;
        try
        {
            using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text);
            doc.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            throw GatewayError.InvalidRequest("Tool call arguments must be a JSON object.", path, "invalid_value");
        }
    }

    private static void WriteToolSpec(Utf8JsonWriter writer, JsonElement tool)
    {
        var function = tool.GetProperty("function");
        writer.WriteStartObject();
        writer.WriteStartObject("toolSpec");
        writer.WriteString("name", function.GetProperty("name").GetString());
        if (function.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String)
            writer.WriteString("description", d.GetString());
        writer.WriteStartObject("inputSchema");
        writer.WritePropertyName("json");
        if (function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object)
            p.WriteTo(writer);
        else
            writer.WriteRawValue("""{"type":"object","properties":{}}""");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WritePlaceholder(Utf8JsonWriter writer) =>
        writer.WriteRawValue("{\"toolSpec\":{\"name\":\"" + PlaceholderTool +
            "\",\"description\":\"Not callable; present because the conversation history contains tool calls.\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{}}}}}");

    private static void WriteChoice(Utf8JsonWriter writer, JsonElement choice)
    {
        writer.WriteStartObject("toolChoice");
        if (choice.ValueKind == JsonValueKind.Object && !choice.GetProperty("type").ValueEquals("function"))
            throw GatewayError.InvalidRequest("Provider 'bedrock' takes tool_choice none, auto, required or a named function.", "tool_choice", "unsupported_value");
        if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var f))
        {
            writer.WriteStartObject("tool");
            writer.WriteString("name", f.GetProperty("name").GetString());
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject(choice.GetString() == "required" ? "any" : "auto");
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static bool HistoryHasToolBlocks(JsonElement messages)
    {
        foreach (var m in messages.EnumerateArray())
            if (m.GetProperty("role").GetString() == "tool" || (m.TryGetProperty("tool_calls", out var t) && t.ValueKind == JsonValueKind.Array))
                return true;
        return false;
    }
}
