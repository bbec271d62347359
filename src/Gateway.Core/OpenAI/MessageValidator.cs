using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.OpenAI;

/// <summary>Checks each message's role and content shape, naming e.g. <c>messages[2].role</c> on failure.</summary>
internal static class MessageValidator
{
    private const int MaxMessages = 100_000;

    public static int Validate(JsonElement messages)
    {
        var count = messages.GetArrayLength();
        if (count == 0)
            throw GatewayError.InvalidRequest("'messages' must contain at least one message.", "messages", "invalid_value");
        if (count > MaxMessages)
            throw GatewayError.InvalidRequest($"'messages' must contain at most {MaxMessages} messages.", "messages", "invalid_value");

        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            ValidateMessage(message, i);
            i++;
        }
        return count;
    }

    private static void ValidateMessage(JsonElement message, int i)
    {
        var path = $"messages[{i}]";
        if (message.ValueKind != JsonValueKind.Object)
            throw RequestFields.WrongType(path, "an object");
        var role = RequestFields.RequiredString(message, "role", path + ".role");
        switch (role)
        {
            case "system" or "developer" or "user":
                RequireContent(message, path, allowNull: false);
                break;
            case "assistant":
                RequireContent(message, path, allowNull: true);
                break;
            case "tool":
                RequireContent(message, path, allowNull: false);
                RequestFields.RequiredString(message, "tool_call_id", path + ".tool_call_id");
                break;
            case "function":
                RequestFields.RequiredString(message, "name", path + ".name");
                break;
            default:
                throw GatewayError.InvalidRequest(
                    $"'{path}.role' must be one of system, developer, user, assistant, tool or function; got '{Truncate(role)}'.",
                    path + ".role", "invalid_value");
        }
        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind != JsonValueKind.Null)
            ValidateToolCalls(calls, path + ".tool_calls");
    }

    /// <summary>Each call as OpenAI defines it: an id, and a function with a name and its arguments as a string.</summary>
    private static void ValidateToolCalls(JsonElement calls, string path)
    {
        if (calls.ValueKind != JsonValueKind.Array)
            throw RequestFields.WrongType(path, "an array");
        var k = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callPath = $"{path}[{k++}]";
            if (call.ValueKind != JsonValueKind.Object)
                throw RequestFields.WrongType(callPath, "an object");
            RequestFields.RequiredString(call, "id", callPath + ".id");
            RequestFields.OptionalString(call, "type", callPath + ".type");
            var function = RequestFields.Required(call, "function", JsonValueKind.Object, "an object", callPath + ".function");
            RequestFields.RequiredString(function, "name", callPath + ".function.name");
            RequestFields.OptionalString(function, "arguments", callPath + ".function.arguments");
        }
    }

    /// <summary><c>tool_choice</c>: none, auto or required, or an object naming a function.</summary>
    public static void ValidateToolChoice(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
            return;
        if (choice.ValueKind == JsonValueKind.String)
        {
            if (choice.GetString() is not ("none" or "auto" or "required"))
                throw GatewayError.InvalidRequest("'tool_choice' must be none, auto, required or an object naming a function.", "tool_choice", "invalid_value");
            return;
        }
        if (choice.ValueKind != JsonValueKind.Object)
            throw RequestFields.WrongType("tool_choice", "a string or an object");
        if (RequestFields.RequiredString(choice, "type", "tool_choice.type") == "function")
            RequestFields.RequiredString(RequestFields.Required(choice, "function", JsonValueKind.Object, "an object", "tool_choice.function"), "name",
                "tool_choice.function.name");
    }

    /// <summary><c>response_format</c>: text, json_object, or json_schema with a named schema.</summary>
    public static void ValidateResponseFormat(JsonElement root)
    {
        if (RequestFields.Optional(root, "response_format", JsonValueKind.Object, "an object") is not { } format)
            return;
        switch (RequestFields.RequiredString(format, "type", "response_format.type"))
        {
            case "text" or "json_object":
                break;
            case "json_schema":
                var schema = RequestFields.Required(format, "json_schema", JsonValueKind.Object, "an object", "response_format.json_schema");
                RequestFields.RequiredString(schema, "name", "response_format.json_schema.name");
                RequestFields.Optional(schema, "schema", JsonValueKind.Object, "an object (a JSON Schema)", "response_format.json_schema.schema");
                break;
            default:
                throw GatewayError.InvalidRequest("'response_format.type' must be text, json_object or json_schema.", "response_format.type", "invalid_value");
        }
    }

    /// <summary>Tool definitions: objects with a type; a function tool names its function and gives parameters as an object.</summary>
    public static void ValidateTools(JsonElement tools)
    {
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object)
                throw RequestFields.WrongType(path, "an object");
            if (RequestFields.RequiredString(tool, "type", path + ".type") != "function")
                continue;
            var function = RequestFields.Required(tool, "function", JsonValueKind.Object, "an object", path + ".function");
            RequestFields.RequiredString(function, "name", path + ".function.name");
            RequestFields.OptionalString(function, "description", path + ".function.description");
            RequestFields.Optional(function, "parameters", JsonValueKind.Object, "an object (a JSON Schema)", path + ".function.parameters");
        }
    }

    private static void RequireContent(JsonElement message, string path, bool allowNull)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            if (allowNull)
                return;
            throw GatewayError.InvalidRequest($"Missing required parameter: '{path}.content'.", path + ".content", "missing_required_parameter");
        }
        if (content.ValueKind == JsonValueKind.String)
            return;
        if (content.ValueKind != JsonValueKind.Array)
            throw RequestFields.WrongType(path + ".content", "a string or an array of content parts");
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{j++}]";
            if (part.ValueKind != JsonValueKind.Object)
                throw RequestFields.WrongType(partPath, "an object");
            switch (RequestFields.RequiredString(part, "type", partPath + ".type"))
            {
                case "text":
                    RequestFields.RequiredString(part, "text", partPath + ".text");
                    break;
                case "image_url":
                    var image = RequestFields.Required(part, "image_url", JsonValueKind.Object, "an object with a url", partPath + ".image_url");
                    RequestFields.RequiredString(image, "url", partPath + ".image_url.url");
                    break;
            }
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
