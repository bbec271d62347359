using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// Bedrock's rest-json errors (type in <c>x-amzn-ErrorType</c>, text in <c>message</c>) by type, from the service model's
/// error shapes: throttling and not-ready are 429 and retryable; a validation error is the caller's 400 (a context-length
/// one may fall back); access denied says to enable model access; timeouts and 5xx are retryable and may fall back.
/// </summary>
public static class BedrockErrorMapper
{
    public static GatewayError Map(string deploymentId, string modelId, string region, int status, string? errorTypeHeader, ReadOnlySpan<byte> body, TimeSpan? retryAfter)
    {
        var type = (errorTypeHeader ?? "").Split(':')[0];
        var message = SecretRedactor.Redact(Message(body) ?? type);
        var prefix = $"Deployment '{deploymentId}' (bedrock, {region}) returned {type}: ";
        return type switch
        {
            "ThrottlingException" or "ModelNotReadyException" or "ServiceQuotaExceededException" => new GatewayError(ErrorKind.RateLimited, 429,
                prefix + message, "rate_limit_error", "rate_limit_exceeded", isRetryable: true, allowsFallback: true, retryAfter: retryAfter),
            "ValidationException" when IsContextLength(message) => new GatewayError(ErrorKind.ContextWindowExceeded, 400, prefix + message,
                "invalid_request_error", "context_length_exceeded", allowsFallback: true),
            "ValidationException" => new GatewayError(ErrorKind.UpstreamBadRequest, 400, prefix + message, "invalid_request_error", "invalid_request"),
            "AccessDeniedException" => new GatewayError(ErrorKind.UpstreamAuthentication, 403,
                $"{prefix}{message} Enable access to model '{modelId}' in Bedrock's console for region {region}, and allow bedrock:InvokeModel on it.",
                "permission_error", "upstream_access_denied", allowsFallback: true),
            "ResourceNotFoundException" => new GatewayError(ErrorKind.NotFound, 404,
                $"{prefix}model '{modelId}' was not found in region {region}. {message}", "invalid_request_error", "model_not_found", allowsFallback: true),
            "ModelTimeoutException" => new GatewayError(ErrorKind.UpstreamTimeout, 504, prefix + message, "timeout_error", "upstream_timeout",
                isRetryable: true, allowsFallback: true),
            "ServiceUnavailableException" => new GatewayError(ErrorKind.UpstreamUnavailable, 503, prefix + message, "api_error", "upstream_unavailable",
                isRetryable: true, allowsFallback: true, retryAfter: retryAfter),
            "ModelErrorException" => new GatewayError(ErrorKind.UpstreamError, 502, prefix + message, "api_error", "upstream_model_error",
                isRetryable: true, allowsFallback: true),
            _ when status >= 500 => new GatewayError(ErrorKind.UpstreamError, 502, prefix + message, "api_error", "upstream_error",
                isRetryable: true, allowsFallback: true),
            _ => new GatewayError(ErrorKind.UpstreamBadRequest, status, prefix + message, "invalid_request_error", "upstream_error"),
        };
    }

    private static bool IsContextLength(string message) =>
        message.Contains("too long", StringComparison.OrdinalIgnoreCase) || message.Contains("context", StringComparison.OrdinalIgnoreCase) &&
        message.Contains("length", StringComparison.OrdinalIgnoreCase);

    private static string? Message(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var doc = JsonDocument.ParseValue(ref reader);
            foreach (var name in new[] { "message", "Message" })
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var m) && m.ValueKind == JsonValueKind.String)
                    return m.GetString();
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
