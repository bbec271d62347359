using Gateway.Core.Usage;

namespace Gateway.Api.Http;

/// <summary>What one request did, filled in as it goes and read once for its log line and usage record.</summary>
internal sealed class RequestState
{
    public required string RequestId { get; init; }
    public required long StartTimestamp { get; init; }
    public string? KeyId { get; set; }
    public string? Model { get; set; }
    public string? Deployment { get; set; }
    public string? Provider { get; set; }
    public string? ProviderModel { get; set; }
    public bool Stream { get; set; }
    public TokenUsage? Usage { get; set; }
    public double? TimeToFirstTokenMs { get; set; }
    public string? ErrorKind { get; set; }
    /// <summary>Which deployment answered, how many attempts and which fallbacks it took.</summary>
    public Core.Routing.RouteTrace Trace { get; } = new();
    public IReadOnlyList<string> DroppedParams { get; set; } = [];
    public Core.Governance.Caller? Caller { get; set; }
    /// <summary>Budget and limit reservations held for this request; settled when its usage is recorded.</summary>
    public Core.Governance.Admission? Admission { get; set; }
    /// <summary>Set once the usage record is written, so it is written exactly once.</summary>
    public bool Recorded { get; set; }

    public static RequestState Of(HttpContext context) => context.Features.Get<RequestState>()
        ?? throw new InvalidOperationException("RequestContextMiddleware did not run.");
}
