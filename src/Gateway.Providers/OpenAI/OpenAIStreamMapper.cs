using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Core.Providers;

namespace Gateway.Providers.OpenAI;

/// <summary>
/// Turns one upstream SSE <c>data:</c> payload into a chunk for the client. Chunks pass through byte for byte;
/// only those that mention usage or an error are parsed, so the common content chunk costs a single scan.
/// </summary>
public static class OpenAIStreamMapper
{
    public static bool IsDone(ReadOnlySpan<byte> data) => data.SequenceEqual("[DONE]"u8);

    public static StreamChunk Map(ReadOnlyMemory<byte> data, string deploymentId)
    {
        var span = data.Span;
        var mentionsUsage = span.IndexOf("\"usage\""u8) >= 0;
        var mentionsError = span.IndexOf("\"error\""u8) >= 0;
        if (!mentionsUsage && !mentionsError)
            return new StreamChunk(data);

        using var doc = Parse(data, deploymentId);
        var root = doc.RootElement;
        if (mentionsError && root.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
        {
            var (message, code) = Http.UpstreamErrors.ReadOpenAIError(span);
            throw new GatewayError(ErrorKind.UpstreamError, 502,
                $"Deployment '{deploymentId}' failed mid-stream: {SecretRedactor.Redact(message ?? "unknown error")}",
                "api_error", code ?? "upstream_stream_error", isRetryable: true, allowsFallback: true);
        }
        var usage = OpenAIUsageReader.Read(root);
        var usageOnly = usage is not null && root.TryGetProperty("choices", out var choices) &&
                        choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() == 0;
        return new StreamChunk(data, usage, usageOnly);
    }

    private static JsonDocument Parse(ReadOnlyMemory<byte> data, string deploymentId)
    {
        try
        {
            return JsonDocument.Parse(data);
        }
        catch (JsonException)
        {
            throw new GatewayError(ErrorKind.UpstreamError, 502, $"Deployment '{deploymentId}' sent a stream event that is not JSON.",
                "api_error", "upstream_invalid_response", isRetryable: true, allowsFallback: true);
        }
    }
}
