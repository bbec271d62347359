using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// OpenAI <c>tools</c>, <c>tool_choice</c>, <c>parallel_tool_calls</c> and <c>response_format</c> to Anthropic tools
/// (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use). Anthropic has no JSON mode, so
/// <c>response_format</c> becomes one forced tool whose input schema is the requested schema; the response mappers
/// turn that tool's input back into the message content.
/// </summary>
internal static class AnthropicToolMapper
{
    public const string DefaultJsonToolName = "json_output";

    /// <summary>The forced tool's name when <c>response_format</c> asks for JSON, else null. Validates the field.</summary>
    public static string? JsonToolName(JsonElement root)
    {
        if (!root.TryGetProperty("response_format", out var format) || format.ValueKind == JsonValueKind.Null)
            return null;
        var type = format.ValueKind == JsonValueKind.Object && format.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        return type switch
        {
            "text" => null,
            "json_object" => DefaultJsonToolName,
            "json_schema" => SchemaName(format),
            _ => throw GatewayError.InvalidRequest("'response_format.type' must be text, json_object or json_schema.", "response_format.type", "invalid_value"),
        };
    }

    public static void Write(JsonElement root, string? jsonTool, Utf8JsonWriter writer)
    {
        var hasTools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0;
        if (jsonTool is not null && hasTools)
            throw GatewayError.InvalidRequest("Provider 'anthropic' cannot combine 'response_format' with 'tools': JSON mode is itself a forced tool.",
                "response_format", "unsupported_parameter_combination");
        if (!hasTools && jsonTool is null)
        {
            RejectChoiceWithoutTools(root);
            return;
        }
        writer.WriteStartArray("tools");
        if (hasTools)
        {
            var i = 0;
            foreach (var tool in tools.EnumerateArray())
                WriteTool(tool, $"tools[{i++}]", writer);
        }
        else
        {
            WriteJsonTool(root.GetProperty("response_format"), jsonTool!, writer);
        }
        writer.WriteEndArray();
        WriteChoice(root, jsonTool, writer);
    }

    private static void WriteTool(JsonElement tool, string path, Utf8JsonWriter writer)
    {
        if (tool.ValueKind != JsonValueKind.Object || !tool.TryGetProperty("type", out var type) || !type.ValueEquals("function"))
            throw GatewayError.InvalidRequest($"'{path}.type' must be 'function' for provider 'anthropic'.", path + ".type", "unsupported_tool_type");
        if (!tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object ||
            !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw GatewayError.InvalidRequest($"Missing required parameter: '{path}.function.name'.", path + ".function.name", "missing_required_parameter");
        writer.WriteStartObject();
        writer.WriteString("name", name.GetString());
        if (function.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
            writer.WriteString("description", description.GetString());
        writer.WritePropertyName("input_schema");
        if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object)
            parameters.WriteTo(writer);
        else
            WriteOpenSchema(writer);
        if (tool.TryGetProperty("cache_control", out var cacheControl) && cacheControl.ValueKind == JsonValueKind.Object)
        {
            writer.WritePropertyName("cache_control");
            cacheControl.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    private static void WriteJsonTool(JsonElement format, string name, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("description", "Respond with a JSON object that matches this schema.");
        writer.WritePropertyName("input_schema");
        if (format.TryGetProperty("json_schema", out var spec) && spec.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
            schema.WriteTo(writer);
        else
            WriteOpenSchema(writer);
        writer.WriteEndObject();
    }

    private static void WriteChoice(JsonElement root, string? jsonTool, Utf8JsonWriter writer)
    {
        var parallel = root.TryGetProperty("parallel_tool_calls", out var p) ? p.ValueKind : JsonValueKind.Undefined;
        if (parallel is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Undefined or JsonValueKind.Null))
            throw GatewayError.InvalidRequest("'parallel_tool_calls' must be a boolean.", "parallel_tool_calls", "invalid_type");
        var (type, name) = jsonTool is not null ? ("tool", jsonTool) : Choice(root);
        if (type == "auto" && parallel != JsonValueKind.False && !root.TryGetProperty("tool_choice", out _))
            return;
        writer.WriteStartObject("tool_choice");
        writer.WriteString("type", type);
        if (name is not null)
            writer.WriteString("name", name);
        if (parallel == JsonValueKind.False && type != "none")
            writer.WriteBoolean("disable_parallel_tool_use", true);
        writer.WriteEndObject();
    }

    /// <summary>auto→auto, required→any, none→none, a named function→tool (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use#forcing-tool-use).</summary>
    private static (string Type, string? Name) Choice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
            return ("auto", null);
        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "auto" => ("auto", null),
                "required" => ("any", null),
                "none" => ("none", null),
                _ => throw GatewayError.InvalidRequest("'tool_choice' must be auto, required, none or a named function.", "tool_choice", "invalid_value"),
            };
        }
        if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object &&
            f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
            return ("tool", n.GetString());
        throw GatewayError.InvalidRequest("'tool_choice' must be auto, required, none or {\"type\":\"function\",\"function\":{\"name\":...}}.",
            "tool_choice", "invalid_value");
    }

    private static void RejectChoiceWithoutTools(JsonElement root)
    {
        if (root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind != JsonValueKind.Null &&
            !(choice.ValueKind == JsonValueKind.String && choice.GetString() is "none" or "auto"))
            throw GatewayError.InvalidRequest("'tool_choice' requires 'tools'.", "tool_choice", "invalid_value");
    }

    private static string SchemaName(JsonElement format) =>
        format.TryGetProperty("json_schema", out var spec) && spec.ValueKind == JsonValueKind.Object &&
        spec.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 } s
            ? s
            : throw GatewayError.InvalidRequest("Missing required parameter: 'response_format.json_schema.name'.",
                "response_format.json_schema.name", "missing_required_parameter");

    private static void WriteOpenSchema(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "object");
        writer.WriteEndObject();
    }
}
