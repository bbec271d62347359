using System.Globalization;
using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Api.Admin;

/// <summary>Typed reads of an admin request body; every bad field is a 400 naming it.</summary>
internal sealed class AdminBody(JsonElement root)
{
    public JsonElement Root => root;

    /// <summary>Present in the body, even as null (an update that sends null clears the field).</summary>
    public bool Has(string name) => root.TryGetProperty(name, out _);

    public static async Task<(JsonDocument Document, AdminBody Body)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
        }
        catch (JsonException)
        {
            throw GatewayError.InvalidRequest("The request body is not valid JSON.", code: "invalid_json");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw GatewayError.InvalidRequest("The request body must be a JSON object.", code: "invalid_type");
        }
        return (document, new AdminBody(document.RootElement));
    }

    public string? String(string name) => Get(name) is { } v
        ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Wrong(name, "a string")
        : null;

    public string RequiredString(string name) => String(name) is { Length: > 0 } s
        ? s
        : throw GatewayError.InvalidRequest($"Missing required parameter: '{name}'.", name, "missing_required_parameter");

    public decimal? Money(string name)
    {
        if (Get(name) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var d))
            throw Wrong(name, "a number");
        return d < 0 ? throw GatewayError.InvalidRequest($"'{name}' must not be negative.", name, "invalid_value") : d;
    }

    public long? Count(string name, long min = 1)
    {
        if (Get(name) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
            throw Wrong(name, "an integer");
        return n < min ? throw GatewayError.InvalidRequest($"'{name}' must be at least {min}.", name, "invalid_value") : n;
    }

    public bool? Bool(string name) => Get(name) is { } v
        ? v.ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => throw Wrong(name, "a boolean") }
        : null;

    public List<string>? Strings(string name)
    {
        if (Get(name) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Array)
            throw Wrong(name, "an array of strings");
        var list = new List<string>();
        foreach (var item in v.EnumerateArray())
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Wrong(name, "an array of strings"));
        return list;
    }

    /// <summary>A flat object of string values (numbers and booleans kept as their JSON text).</summary>
    public Dictionary<string, string>? Map(string name)
    {
        if (Get(name) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Object)
            throw Wrong(name, "an object");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
            map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
        return map;
    }

    public DateTimeOffset? Time(string name)
    {
        var text = String(name);
        if (text is null)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw GatewayError.InvalidRequest($"'{name}' must be an ISO 8601 time.", name, "invalid_value");
    }

    /// <summary>LiteLLM's <c>duration</c>: a number and a unit, s, m, h, d (e.g. <c>30d</c>).</summary>
    public TimeSpan? Duration(string name)
    {
        var text = String(name);
        if (text is null)
            return null;
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }
        throw GatewayError.InvalidRequest($"'{name}' must look like 30s, 45m, 12h or 30d.", name, "invalid_value");
    }

    private JsonElement? Get(string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static GatewayError Wrong(string name, string what) =>
        GatewayError.InvalidRequest($"'{name}' must be {what}.", name, "invalid_type");
}
