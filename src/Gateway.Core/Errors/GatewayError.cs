namespace Gateway.Core.Errors;

/// <summary>
/// The one error type that crosses layers. Providers classify their own failures into it;
/// routing reads only <see cref="IsRetryable"/> and <see cref="AllowsFallback"/>; the host
/// renders it as OpenAI's error envelope with <see cref="StatusCode"/>.
/// </summary>
public sealed class GatewayError : Exception
{
    public GatewayError(ErrorKind kind, int statusCode, string message, string type, string? code = null,
        string? param = null, bool isRetryable = false, bool allowsFallback = false, TimeSpan? retryAfter = null,
        Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        StatusCode = statusCode;
        Type = type;
        Code = code;
        Param = param;
        IsRetryable = isRetryable;
        AllowsFallback = allowsFallback;
        RetryAfter = retryAfter;
    }

    public ErrorKind Kind { get; }
    public int StatusCode { get; }
    /// <summary>OpenAI's <c>error.type</c>, e.g. <c>invalid_request_error</c>.</summary>
    public string Type { get; }
    public string? Code { get; }
    public string? Param { get; }
    public bool IsRetryable { get; }
    public bool AllowsFallback { get; }
    public TimeSpan? RetryAfter { get; }

    /// <summary>The same error, no longer retryable (its fallback permission kept).</summary>
    public GatewayError AsFinal() => IsRetryable
        ? new GatewayError(Kind, StatusCode, Message, Type, Code, Param, false, AllowsFallback, RetryAfter, InnerException)
        : this;

    public static GatewayError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(ErrorKind.InvalidRequest, 400, message, "invalid_request_error", code, param);

    public static GatewayError Unauthorized(string message) =>
        new(ErrorKind.Authentication, 401, message, "invalid_request_error", "invalid_api_key");

    public static GatewayError Forbidden(string message) =>
        new(ErrorKind.PermissionDenied, 403, message, "permission_error", "permission_denied");

    public static GatewayError ModelNotFound(string model) =>
        new(ErrorKind.NotFound, 404, $"The model '{model}' does not exist or you do not have access to it.",
            "invalid_request_error", "model_not_found", "model");

    public static GatewayError NotFound(string message) =>
        new(ErrorKind.NotFound, 404, message, "invalid_request_error", "not_found");

    public static GatewayError TooLarge(long limitBytes) =>
        new(ErrorKind.RequestTooLarge, 413, $"Request body exceeds the limit of {limitBytes} bytes.",
            "invalid_request_error", "request_too_large");

    public static GatewayError UpstreamTimeout(string deployment, TimeSpan after) =>
        new(ErrorKind.UpstreamTimeout, 504, $"Deployment '{deployment}' did not answer within {after.TotalSeconds:0.###} s.",
            "timeout_error", "upstream_timeout", isRetryable: true, allowsFallback: true);

    public static GatewayError UpstreamUnreachable(string deployment, Exception inner) =>
        new(ErrorKind.UpstreamUnavailable, 502, $"Deployment '{deployment}' could not be reached.",
            "api_error", "upstream_unreachable", isRetryable: true, allowsFallback: true, inner: inner);

    public static GatewayError StreamInterrupted(string deployment) =>
        new(ErrorKind.UpstreamError, 502, $"Deployment '{deployment}' ended the stream before it was complete.",
            "api_error", "upstream_stream_interrupted", isRetryable: true, allowsFallback: true);
}
