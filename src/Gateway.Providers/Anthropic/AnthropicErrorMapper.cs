using System.Net;
using System.Text.Json;
using Gateway.Core.Errors;
using Gateway.Providers.Http;

namespace Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic's error body <c>{"type":"error","error":{"type","message"}}</c> to a <see cref="GatewayError"/>, by
/// error type (https://docs.anthropic.com/en/api/errors), falling back to the HTTP status when the body is not
/// Anthropic's. <c>overloaded_error</c> (529) becomes a retryable 503 that allows fallback; <c>api_error</c> a 502;
/// a prompt that is too long a context-window error so routing can pick a larger model. Messages are redacted.
/// </summary>
internal static class AnthropicErrorMapper
{
    public static GatewayError FromHttp(string deploymentId, HttpStatusCode status, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        var (type, message) = Read(body);
        return type is null && (int)status != 529
            ? UpstreamErrors.Classify(deploymentId, AnthropicProvider.Prefix, status, message, null, retryAfter)
            : FromType(deploymentId, type ?? "overloaded_error", message, retryAfter, (int)status);
    }

    /// <summary>An <c>event: error</c> that arrives after the stream started.</summary>
    public static GatewayError FromStreamEvent(string deploymentId, JsonElement root)
    {
        var (type, message) = Read(root);
        return FromType(deploymentId, type ?? "api_error", message, null, 200);
    }

    private static GatewayError FromType(string deploymentId, string type, string? upstreamMessage, TimeSpan? retryAfter, int status)
    {
        var detail = upstreamMessage is null ? "" : ": " + SecretRedactor.Redact(upstreamMessage);
        var message = $"Deployment '{deploymentId}' ({AnthropicProvider.Prefix}) returned {type}{detail}";
        return type switch
        {
            "invalid_request_error" when IsPromptTooLong(upstreamMessage) => new GatewayError(ErrorKind.ContextWindowExceeded, 400, message,
                "invalid_request_error", "context_length_exceeded", allowsFallback: true),
            "invalid_request_error" => new GatewayError(ErrorKind.UpstreamBadRequest, 400, message, "invalid_request_error", "invalid_request_error"),
            "authentication_error" or "permission_error" => new GatewayError(ErrorKind.UpstreamAuthentication, type == "authentication_error" ? 401 : 403,
                $"Deployment '{deploymentId}' ({AnthropicProvider.Prefix}) rejected the gateway's credentials ({type}).",
                "authentication_error", "upstream_authentication", allowsFallback: true),
            "billing_error" => new GatewayError(ErrorKind.UpstreamAuthentication, 402, message, "authentication_error", "upstream_billing", allowsFallback: true),
            "not_found_error" => new GatewayError(ErrorKind.NotFound, 404, message, "invalid_request_error", "upstream_not_found", allowsFallback: true),
            "request_too_large" => new GatewayError(ErrorKind.RequestTooLarge, 413, message, "invalid_request_error", "request_too_large"),
            "rate_limit_error" => new GatewayError(ErrorKind.RateLimited, 429, message, "rate_limit_error", "rate_limit_exceeded",
                isRetryable: true, allowsFallback: true, retryAfter: retryAfter),
            "overloaded_error" => new GatewayError(ErrorKind.UpstreamUnavailable, 503, message, "api_error", "upstream_overloaded",
                isRetryable: true, allowsFallback: true, retryAfter: retryAfter),
            "timeout_error" => new GatewayError(ErrorKind.UpstreamTimeout, 504, message, "timeout_error", "upstream_timeout",
                isRetryable: true, allowsFallback: true),
            _ when status is >= 400 and < 500 and not 429 => new GatewayError(ErrorKind.UpstreamBadRequest, status, message, "invalid_request_error", type),
            _ => new GatewayError(ErrorKind.UpstreamError, 502, message, "api_error", "upstream_error", isRetryable: true, allowsFallback: true,
                retryAfter: retryAfter),
        };
    }

    private static bool IsPromptTooLong(string? message) =>
        message is not null && (message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase) ||
                                message.Contains("context window", StringComparison.OrdinalIgnoreCase) ||
                                message.Contains("context length", StringComparison.OrdinalIgnoreCase));

    private static (string? Type, string? Message) Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            return Read(doc.RootElement);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static (string? Type, string? Message) Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            return (null, null);
        return (StringOrNull(error, "type"), StringOrNull(error, "message"));
    }

    private static string? StringOrNull(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
