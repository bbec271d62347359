using Gateway.Core.Usage;

namespace Gateway.Api.Http;

/// <summary>What one request did, filled in as it goes and read once for its log line and usage record.</summary>
internal sealed class RequestState
{
    public required string RequestId { get; init; }
    public required long StartTimestamp { get; init; }
    public string? KeyId { get; set; }
    public string? Model { get; set; }
    /// <summary>The model group routed to, after the key's aliases.</summary>
    public string? Group { get; set; }
    public string? EndUser { get; set; }
    public IReadOnlyList<string> Tags { get; set; } = [];
    /// <summary><c>hit</c>, <c>miss</c> or <c>bypass</c> when the response cache is on; null otherwise.</summary>
    public string? CacheStatus { get; set; }
    /// <summary>On a cache hit: what the cached answer cost when it was made.</summary>
    public decimal SavedCost { get; set; }
    /// <summary>Set when the usage record is written: the request's cost (null when unpriced) and the key's spend after it.</summary>
    public decimal? Cost { get; set; }
    public decimal? KeySpend { get; set; }
    /// <summary>Only when prompts are stored in spend logs: the request and answer bodies, size-capped.</summary>
    public string? RequestBody { get; set; }
    public System.Text.StringBuilder? ResponseBody { get; set; }

    /// <summary>Keeps the answer's first bytes when prompts are stored in spend logs; does nothing otherwise.</summary>
    public void CaptureResponse(ReadOnlySpan<byte> utf8)
    {
        if (ResponseBody is not { } body || body.Length >= Chat.UsageRecorder.BodyCap)
            return;
        body.Append(System.Text.Encoding.UTF8.GetString(utf8[..Math.Min(utf8.Length, Chat.UsageRecorder.BodyCap - body.Length)]));
    }
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

    /// <summary>Tags for the usage record: the key's, the body's <c>metadata.tags</c> and the comma-separated
    /// <c>x-gateway-tags</c> header, distinct and sorted.</summary>
    public void SetTags(IReadOnlyList<string>? keyTags, IReadOnlyList<string> bodyTags, string? header)
    {
        if (keyTags is not { Count: > 0 } && bodyTags.Count == 0 && string.IsNullOrEmpty(header))
            return; // the common case: no tags, nothing allocated
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var t in keyTags ?? [])
            tags.Add(t);
        foreach (var t in bodyTags)
            tags.Add(t);
        foreach (var t in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (t.Length <= 128 && tags.Count < 64)
                tags.Add(t);
        Tags = tags.Count == 0 ? [] : tags.ToArray();
    }

    public static RequestState Of(HttpContext context) => context.Features.Get<RequestState>()
        ?? throw new InvalidOperationException("RequestContextMiddleware did not run.");
}
