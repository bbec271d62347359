using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Bedrock;

/// <summary>Writes <c>system</c> and <c>messages</c>, merging consecutive turns of the same Bedrock role as Converse requires.</summary>
internal static class BedrockMessageWriter
{
    public static void Write(Utf8JsonWriter writer, JsonElement messages, IReadOnlyDictionary<string, (string Base64, string MediaType)> images)
    {
        WriteSystem(writer, messages);
        writer.WriteStartArray("messages");
        string? open = null;
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.GetProperty("role").GetString();
            if (role is "system" or "developer")
            {
                i++;
                continue;
            }
            var bedrockRole = role == "assistant" ? "assistant" : "user";
            if (open != bedrockRole)
            {
                if (open is not null)
                    EndTurn(writer);
                writer.WriteStartObject();
                writer.WriteString("role", bedrockRole);
                writer.WriteStartArray("content");
                open = bedrockRole;
            }
            WriteBlocks(writer, message, role!, i++, images);
        }
        if (open is not null)
            EndTurn(writer);
        writer.WriteEndArray();
    }

    private static void EndTurn(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteSystem(Utf8JsonWriter writer, JsonElement messages)
    {
        var wrote = false;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.GetProperty("role").GetString() is not ("system" or "developer"))
                continue;
            if (!wrote)
                writer.WriteStartArray("system");
            wrote = true;
            var content = message.GetProperty("content");
            if (content.ValueKind == JsonValueKind.String)
                TextBlock(writer, content.GetString()!);
            else if (content.ValueKind == JsonValueKind.Array)
                foreach (var part in content.EnumerateArray())
                    if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    {
                        TextBlock(writer, t.GetString()!);
                        CachePoint(writer, part);
                    }
            CachePoint(writer, message);
        }
        if (wrote)
            writer.WriteEndArray();
    }

    private static void WriteBlocks(Utf8JsonWriter writer, JsonElement message, string role, int index,
        IReadOnlyDictionary<string, (string Base64, string MediaType)> images)
    {
        if (role == "tool")
        {
            writer.WriteStartObject();
            writer.WriteStartObject("toolResult");
            writer.WriteString("toolUseId", message.GetProperty("tool_call_id").GetString());
            writer.WriteStartArray("content");
            foreach (var text in Texts(message))
            {
                writer.WriteStartObject();
                writer.WriteString("text", text);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }
        WriteContent(writer, message, index, images);
        if (role == "assistant" && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            BedrockToolWriter.WriteToolUses(writer, calls, index);
        CachePoint(writer, message);
    }

    /// <summary>Anthropic-style <c>cache_control</c> on a part, message or tool marks the end of a cacheable prefix; Converse
    /// says the same with a <c>cachePoint</c> block right after it (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
    /// A <c>ttl</c> ("5m", "1h") is passed on.</summary>
    internal static void CachePoint(Utf8JsonWriter writer, JsonElement owner)
    {
        if (!owner.TryGetProperty("cache_control", out var control) || control.ValueKind != JsonValueKind.Object)
            return;
        writer.WriteStartObject();
        writer.WriteStartObject("cachePoint");
        writer.WriteString("type", "default");
        if (control.TryGetProperty("ttl", out var ttl) && ttl.ValueKind == JsonValueKind.String)
            writer.WriteString("ttl", ttl.GetString());
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, JsonElement message, int index,
        IReadOnlyDictionary<string, (string Base64, string MediaType)> images)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
            return;
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.GetString() is { Length: > 0 } text)
                TextBlock(writer, text);
            return;
        }
        var j = 0;
        foreach (var part in content.EnumerateArray())
        {
            var type = part.GetProperty("type").GetString();
            if (type == "text")
                TextBlock(writer, part.GetProperty("text").GetString() ?? "");
            else if (type == "image_url")
                BedrockImages.Write(writer, part, $"messages[{index}].content[{j}].image_url", images);
            else
                throw GatewayError.InvalidRequest($"Content part type '{type}' is not supported by provider 'bedrock'.", $"messages[{index}].content[{j}].type", "unsupported_parameter");
            CachePoint(writer, part);
            j++;
        }
    }

    private static void TextBlock(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static IEnumerable<string> Texts(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
            yield break;
        if (content.ValueKind == JsonValueKind.String)
            yield return content.GetString()!;
        else if (content.ValueKind == JsonValueKind.Array)
            foreach (var part in content.EnumerateArray())
                if (part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                    yield return t.GetString()!;
    }
}
