using System.Buffers;
using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Providers.Anthropic;

/// <summary>What the response mappers need to know about how a request was translated.</summary>
/// <param name="JsonToolName">The forced tool standing in for <c>response_format</c>, whose input is the answer.</param>
internal sealed record AnthropicRequestPlan(string? JsonToolName);

/// <summary>
/// An OpenAI chat request to an Anthropic Messages API body (https://docs.anthropic.com/en/api/messages).
/// The parameter table: max_tokens / max_completion_tokens → max_tokens (a model default when absent);
/// temperature (0–1 only) and top_p as is; stop → stop_sequences; user → metadata.user_id;
/// reasoning_effort → thinking.budget_tokens; tools, tool_choice, parallel_tool_calls and response_format via
/// <see cref="AnthropicToolMapper"/>; n only when 1. Anything else never reaches this mapper (see <see cref="SupportedParameters"/>).
/// </summary>
internal static class AnthropicRequestMapper
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly FrozenSet<string> SupportedParameters = FrozenSet.Create(StringComparer.Ordinal,
        "max_tokens", "max_completion_tokens", "temperature", "top_p", "stop", "user", "n", "tools", "tool_choice",
        "parallel_tool_calls", "response_format", "reasoning_effort");

    public static AnthropicRequestPlan Write(ChatRequest request, string modelId, IBufferWriter<byte> output)
    {
        var root = request.Root;
        RejectSeveralChoices(root);
        var jsonTool = AnthropicToolMapper.JsonToolName(root);
        var budget = ClaudeThinking.Budget(root);
        if (budget is not null && jsonTool is not null)
            throw GatewayError.InvalidRequest("Provider 'anthropic' cannot combine 'response_format' with 'reasoning_effort': thinking does not allow a forced tool.",
                "response_format", "unsupported_parameter_combination");
        var maxTokens = ClaudeThinking.MaxTokens(request, modelId, ref budget, "anthropic");

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("model", modelId);
        writer.WriteNumber("max_tokens", maxTokens);
        AnthropicMessageMapper.Write(request.Messages, writer);
        WriteSampling(root, writer);
        AnthropicToolMapper.Write(root, jsonTool, writer);
        if (budget is { } b)
        {
            writer.WriteStartObject("thinking");
            writer.WriteString("type", "enabled");
            writer.WriteNumber("budget_tokens", b);
            writer.WriteEndObject();
        }
        if (request.Stream)
            writer.WriteBoolean("stream", true);
        writer.WriteEndObject();
        return new AnthropicRequestPlan(jsonTool);
    }

    private static void WriteSampling(JsonElement root, Utf8JsonWriter writer)
    {
        if (Number(root, "temperature") is { } temperature)
        {
            if (temperature > 1)
                throw GatewayError.InvalidRequest("'temperature' must be between 0 and 1 for provider 'anthropic'.", "temperature", "invalid_value");
            writer.WriteNumber("temperature", temperature);
        }
        if (Number(root, "top_p") is { } topP)
            writer.WriteNumber("top_p", topP);
        WriteStopSequences(root, writer);
        if (root.TryGetProperty("user", out var user) && user.ValueKind == JsonValueKind.String)
        {
            writer.WriteStartObject("metadata");
            writer.WriteString("user_id", user.GetString());
            writer.WriteEndObject();
        }
    }

    private static void WriteStopSequences(JsonElement root, Utf8JsonWriter writer)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
            return;
        writer.WriteStartArray("stop_sequences");
        if (stop.ValueKind == JsonValueKind.String)
        {
            writer.WriteStringValue(stop.GetString());
        }
        else
        {
            var i = 0;
            foreach (var sequence in stop.EnumerateArray())
            {
                if (sequence.ValueKind != JsonValueKind.String)
                    throw GatewayError.InvalidRequest($"'stop[{i}]' must be a string.", $"stop[{i}]", "invalid_type");
                writer.WriteStringValue(sequence.GetString());
                i++;
            }
        }
        writer.WriteEndArray();
    }

    private static void RejectSeveralChoices(JsonElement root)
    {
        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.GetInt64() != 1)
            throw GatewayError.InvalidRequest("Provider 'anthropic' returns one choice per request: 'n' must be 1.", "n", "invalid_value");
    }

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
