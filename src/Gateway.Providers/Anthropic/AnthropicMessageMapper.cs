using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// OpenAI <c>messages</c> to Anthropic's top-level <c>system</c> and alternating <c>messages</c>
/// (https://docs.anthropic.com/en/api/messages). System and developer messages become system text blocks; tool
/// results become user-role <c>tool_result</c> blocks; consecutive turns of one role merge into one turn, with the
/// tool results first as Anthropic requires; assistant <c>tool_calls</c> become <c>tool_use</c> blocks.
/// </summary>
internal static class AnthropicMessageMapper
{
    /// <summary>A run of consecutive messages that become one Anthropic turn.</summary>
    private readonly record struct Turn(string Role, int First, int Last);

    public static void Write(JsonElement messages, Utf8JsonWriter writer)
    {
        var all = messages.EnumerateArray().ToArray();
        WriteSystem(all, writer);
        var turns = Turns(all);
        if (turns.Count == 0)
            throw GatewayError.InvalidRequest("Provider 'anthropic' needs at least one non-empty user or assistant message.", "messages", "invalid_value");
        writer.WriteStartArray("messages");
        foreach (var turn in turns)
        {
            writer.WriteStartObject();
            writer.WriteString("role", turn.Role);
            writer.WriteStartArray("content");
            if (turn.Role == "user")
                WriteUserTurn(all, turn, writer);
            else
                WriteAssistantTurn(all, turn, writer);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteSystem(JsonElement[] all, Utf8JsonWriter writer)
    {
        var any = false;
        for (var i = 0; i < all.Length; i++)
        {
            if (!IsSystem(Role(all[i])) || !AnthropicContentMapper.HasBlocks(all[i].GetProperty("content")))
                continue;
            if (!any)
                writer.WriteStartArray("system");
            any = true;
            AnthropicContentMapper.WriteBlocks(all[i].GetProperty("content"), $"messages[{i}]", allowImages: false, writer);
        }
        if (any)
            writer.WriteEndArray();
    }

    private static List<Turn> Turns(JsonElement[] all)
    {
        var turns = new List<Turn>();
        for (var i = 0; i < all.Length; i++)
        {
            var role = Role(all[i]);
            if (IsSystem(role) || !HasBlocks(all[i], role))
                continue;
            var anthropicRole = role switch
            {
                "user" or "tool" => "user",
                "assistant" => "assistant",
                _ => throw GatewayError.InvalidRequest($"Role '{role}' at 'messages[{i}].role' is not supported by provider 'anthropic'; use tool messages.",
                    $"messages[{i}].role", "unsupported_role"),
            };
            if (turns.Count > 0 && turns[^1].Role == anthropicRole)
                turns[^1] = turns[^1] with { Last = i };
            else
                turns.Add(new Turn(anthropicRole, i, i));
        }
        return turns;
    }

    private static void WriteUserTurn(JsonElement[] all, Turn turn, Utf8JsonWriter writer)
    {
        for (var i = turn.First; i <= turn.Last; i++)
            if (Role(all[i]) == "tool")
                WriteToolResult(all[i], $"messages[{i}]", writer);
        for (var i = turn.First; i <= turn.Last; i++)
            if (Role(all[i]) == "user")
                AnthropicContentMapper.WriteBlocks(all[i].GetProperty("content"), $"messages[{i}]", allowImages: true, writer);
    }

    private static void WriteAssistantTurn(JsonElement[] all, Turn turn, Utf8JsonWriter writer)
    {
        for (var i = turn.First; i <= turn.Last; i++)
        {
            if (Role(all[i]) != "assistant")
                continue;
            if (all[i].TryGetProperty("content", out var content))
                AnthropicContentMapper.WriteBlocks(content, $"messages[{i}]", allowImages: false, writer);
            if (all[i].TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                var j = 0;
                foreach (var call in calls.EnumerateArray())
                    WriteToolUse(call, $"messages[{i}].tool_calls[{j++}]", writer);
            }
        }
    }

    private static void WriteToolResult(JsonElement message, string path, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "tool_result");
        writer.WriteString("tool_use_id", message.GetProperty("tool_call_id").GetString());
        var content = message.GetProperty("content");
        if (content.ValueKind == JsonValueKind.String)
        {
            writer.WriteString("content", content.GetString());
        }
        else
        {
            writer.WriteStartArray("content");
            AnthropicContentMapper.WriteBlocks(content, path, allowImages: true, writer);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteToolUse(JsonElement call, string path, Utf8JsonWriter writer)
    {
        if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            throw GatewayError.InvalidRequest($"Missing required parameter: '{path}.function'.", path + ".function", "missing_required_parameter");
        writer.WriteStartObject();
        writer.WriteString("type", "tool_use");
        writer.WriteString("id", RequiredString(call, "id", path));
        writer.WriteString("name", RequiredString(function, "name", path + ".function"));
        writer.WritePropertyName("input");
        WriteArguments(function, path + ".function.arguments", writer);
        writer.WriteEndObject();
    }

    /// <summary>OpenAI carries arguments as a JSON string; Anthropic wants the object itself.</summary>
    private static void WriteArguments(JsonElement function, string path, Utf8JsonWriter writer)
    {
        var text = function.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
        if (string.IsNullOrWhiteSpace(text))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }
        try
        {
            using var arguments = JsonDocument.Parse(text);
            if (arguments.RootElement.ValueKind != JsonValueKind.Object)
                throw NotAnObject(path);
            arguments.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            throw NotAnObject(path);
        }
    }

    private static GatewayError NotAnObject(string path) =>
        GatewayError.InvalidRequest($"'{path}' must be a JSON object encoded as a string.", path, "invalid_value");

    private static bool HasBlocks(JsonElement message, string role) => role switch
    {
        "assistant" => (message.TryGetProperty("content", out var c) && AnthropicContentMapper.HasBlocks(c)) ||
                       (message.TryGetProperty("tool_calls", out var t) && t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0),
        "user" => AnthropicContentMapper.HasBlocks(message.GetProperty("content")),
        _ => true,
    };

    private static string RequiredString(JsonElement obj, string name, string path) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw GatewayError.InvalidRequest($"Missing required parameter: '{path}.{name}'.", $"{path}.{name}", "missing_required_parameter");

    private static string Role(JsonElement message) => message.GetProperty("role").GetString()!;

    private static bool IsSystem(string role) => role is "system" or "developer";
}
