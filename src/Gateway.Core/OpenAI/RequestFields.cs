using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.OpenAI;

/// <summary>Typed reads of request fields that fail with a 400 naming the field.</summary>
internal static class RequestFields
{
    public static JsonElement Required(JsonElement obj, string name, JsonValueKind kind, string what, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            throw GatewayError.InvalidRequest($"Missing required parameter: '{path ?? name}'.", path ?? name, "missing_required_parameter");
        if (value.ValueKind != kind)
            throw WrongType(path ?? name, what);
        return value;
    }

    public static JsonElement? Optional(JsonElement obj, string name, JsonValueKind kind, string what, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != kind)
            throw WrongType(path ?? name, what);
        return value;
    }

    public static string RequiredString(JsonElement obj, string name, string? path = null)
    {
        var value = Required(obj, name, JsonValueKind.String, "a string", path).GetString()!;
        if (value.Length == 0)
            throw GatewayError.InvalidRequest($"'{path ?? name}' must not be empty.", path ?? name, "invalid_value");
        return value;
    }

    public static string? OptionalString(JsonElement obj, string name, string? path = null) =>
        Optional(obj, name, JsonValueKind.String, "a string", path)?.GetString();

    public static bool? OptionalBool(JsonElement obj, string name, string? path = null)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(path ?? name, "a boolean"),
        };
    }

    public static long? OptionalPositiveInt(JsonElement obj, string name)
    {
        if (Optional(obj, name, JsonValueKind.Number, "an integer") is not { } value)
            return null;
        if (!value.TryGetInt64(out var n) || n < 1 || n > int.MaxValue)
            throw GatewayError.InvalidRequest($"'{name}' must be an integer between 1 and {int.MaxValue}.", name, "invalid_value");
        return n;
    }

    public static double? OptionalNumber(JsonElement obj, string name, double min, double max, string? path = null)
    {
        path ??= name;
        if (Optional(obj, name, JsonValueKind.Number, "a number", path) is not { } value)
            return null;
        var d = value.GetDouble();
        if (double.IsNaN(d) || d < min || d > max)
            throw GatewayError.InvalidRequest($"'{path}' must be between {min} and {max}.", path, "invalid_value");
        return d;
    }

    public static GatewayError WrongType(string path, string what) =>
        GatewayError.InvalidRequest($"'{path}' must be {what}.", path, "invalid_type");
}
