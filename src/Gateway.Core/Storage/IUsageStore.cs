using Gateway.Core.Usage;

namespace Gateway.Core.Storage;

/// <summary>Usage records: appended once per request, read back by time range for spend logs and rollups.</summary>
public interface IUsageStore
{
    /// <summary>Durably stores the record before returning; callers await it before the response completes.</summary>
    Task AppendAsync(UsageRecord record, CancellationToken cancellationToken);

    /// <summary>Records with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, oldest first, paged.</summary>
    Task<UsagePage> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? keyId, int limit, string? pageToken, CancellationToken cancellationToken);
}

public sealed record UsagePage(IReadOnlyList<UsageRecord> Records, string? NextPageToken);
