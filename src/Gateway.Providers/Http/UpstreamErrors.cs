using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Http;

/// <summary>
/// Classifies an upstream HTTP failure by status (https://platform.openai.com/docs/guides/error-codes):
/// 429 stays 429 with its Retry-After, 5xx becomes 502, a context-length or content-policy 400 is marked so
/// routing can pick the matching fallback, and other 4xx keep their status. Messages are redacted.
/// </summary>
public static class UpstreamErrors
{
    public static GatewayError Classify(string deploymentId, string provider, HttpStatusCode status, string? upstreamMessage,
        string? upstreamCode, TimeSpan? retryAfter)
    {
        var code = (int)status;
        var detail = upstreamMessage is null ? "" : ": " + SecretRedactor.Redact(upstreamMessage);
        var message = $"Deployment '{deploymentId}' ({provider}) returned {code}{detail}";
        return code switch
        {
            429 => new GatewayError(ErrorKind.RateLimited, 429, message, "rate_limit_error", upstreamCode ?? "rate_limit_exceeded",
                isRetryable: true, allowsFallback: true, retryAfter: retryAfter),
            401 or 403 => new GatewayError(ErrorKind.UpstreamAuthentication, code,
                $"Deployment '{deploymentId}' ({provider}) rejected the gateway's credentials ({code}).",
                "authentication_error", "upstream_authentication", allowsFallback: true),
            404 => new GatewayError(ErrorKind.NotFound, 404, message, "invalid_request_error", upstreamCode ?? "upstream_not_found", allowsFallback: true),
            408 => new GatewayError(ErrorKind.UpstreamTimeout, 504, message, "timeout_error", "upstream_timeout", isRetryable: true, allowsFallback: true),
            >= 500 => new GatewayError(ErrorKind.UpstreamError, 502, message, "api_error", upstreamCode ?? "upstream_error", isRetryable: true, allowsFallback: true, retryAfter: retryAfter),
            _ when IsContextWindow(upstreamCode, upstreamMessage) => new GatewayError(ErrorKind.ContextWindowExceeded, 400, message,
                "invalid_request_error", "context_length_exceeded", allowsFallback: true),
            _ when IsContentPolicy(upstreamCode) => new GatewayError(ErrorKind.ContentPolicy, 400, message,
                "invalid_request_error", upstreamCode, allowsFallback: true),
            _ => new GatewayError(ErrorKind.UpstreamBadRequest, code, message, "invalid_request_error", upstreamCode),
        };
    }

    /// <summary>Reads an OpenAI-style error body (<c>{"error":{"message","code"}}</c>) if it is one.</summary>
    public static (string? Message, string? Code) ReadOpenAIError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String)
                    return (error.GetString(), null);
                if (error.ValueKind == JsonValueKind.Object)
                    return (StringOrNull(error, "message"), StringOrNull(error, "code") ?? StringOrNull(error, "type"));
            }
        }
        catch (JsonException)
        {
        }
        return (null, null);
    }

    /// <summary>Retry-After in seconds or as an HTTP date, or OpenAI's <c>retry-after-ms</c>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, TimeProvider time)
    {
        if (headers.TryGetValues("retry-after-ms", out var ms) && double.TryParse(ms.FirstOrDefault(),
                System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var millis))
            return TimeSpan.FromMilliseconds(millis);
        var retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
            return delta;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static bool IsContextWindow(string? code, string? message) =>
        code == "context_length_exceeded" ||
        (message?.Contains("maximum context length", StringComparison.OrdinalIgnoreCase) ?? false) ||
        (message?.Contains("context window", StringComparison.OrdinalIgnoreCase) ?? false);

    private static bool IsContentPolicy(string? code) => code is "content_filter" or "content_policy_violation";

    private static string? StringOrNull(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
