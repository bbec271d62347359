using Gateway.Core.Usage;

namespace Gateway.Core.Storage;

/// <summary>Usage records: appended once per request, read back by time range for spend logs and rollups.</summary>
public interface IUsageStore
{
    /// <summary>Durably stores the record before returning; callers await it before the response completes.</summary>
    Task AppendAsync(UsageRecord record, CancellationToken cancellationToken);

    /// <summary>Records with <paramref name="from"/> &lt;= timestamp &lt; <paramref name="to"/>, oldest first, paged.</summary>
    Task<UsagePage> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? keyId, int limit, string? pageToken, CancellationToken cancellationToken);

    /// <summary>How many independent slices one UTC day's records are stored in (DynamoDB's 16 shards, SQLite's hour
    /// blocks), so a rollup can read them all in parallel and aggregate each slice on its own.</summary>
    int DaySlices { get; }

    /// <summary>Every record of one slice of a UTC day, page by page, in no promised order. A rollup reads the whole day
    /// this way without one big sorted merge, which is what lets a day of millions of records fit in one invocation.</summary>
    IAsyncEnumerable<IReadOnlyList<UsageRecord>> ReadDaySliceAsync(DateOnly day, int slice, CancellationToken cancellationToken);
}

public sealed record UsagePage(IReadOnlyList<UsageRecord> Records, string? NextPageToken);

/// <summary>Every usage store pages by (timestamp, request id); the token names the last record returned, the same way
/// on every backend, so a caller that filters records can resume after any record it has seen.</summary>
public static class UsagePageToken
{
    public static string After(UsageRecord record) =>
        record.Timestamp.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + record.RequestId;

    public static bool TryParse(string? token, out long timestampMs, out string requestId)
    {
        var bar = token?.IndexOf('|') ?? -1;
        if (bar > 0 && long.TryParse(token.AsSpan(0, bar), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out timestampMs))
        {
            requestId = token![(bar + 1)..];
            return true;
        }
        (timestampMs, requestId) = (0, "");
        return false;
    }
}
