namespace Gateway.Core.Errors;

/// <summary>What went wrong, independent of which provider or layer noticed it.
/// Retry and fallback decisions read only the <see cref="GatewayError"/> built from one of these.</summary>
public enum ErrorKind
{
    InvalidRequest,
    Authentication,
    PermissionDenied,
    NotFound,
    RequestTooLarge,
    RateLimited,
    BudgetExceeded,
    ContextWindowExceeded,
    ContentPolicy,
    UpstreamAuthentication,
    UpstreamBadRequest,
    UpstreamError,
    UpstreamTimeout,
    UpstreamUnavailable,
    StoreUnavailable,
    ClientClosed,
    Internal,
}
