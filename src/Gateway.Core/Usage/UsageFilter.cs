using Gateway.Core.Storage;

namespace Gateway.Core.Usage;

/// <summary>Which usage records a spend-log query wants. Only the time range and key are served by the stores' indexes;
/// the rest are matched as records stream past, so a selective filter reads more records than it returns.</summary>
public sealed record UsageFilter(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>A page never reads more than this many records; a filter that matches rarely returns a short page and a
    /// token to continue, rather than scanning the whole range in one call.</summary>
    public const int MaxScannedPerPage = 20_000;
    private const int Batch = 500;

    public string? KeyId { get; init; }
    public string? TeamId { get; init; }
    public string? EndUser { get; init; }
    /// <summary>Matches the requested model or the group it was routed to.</summary>
    public string? Model { get; init; }
    public string? Tag { get; init; }

    public bool Matches(UsageRecord r) =>
        (TeamId is null || r.TeamId == TeamId) &&
        (EndUser is null || r.EndUser == EndUser) &&
        (Model is null || r.RequestedModel == Model || r.ModelGroup == Model) &&
        (Tag is null || r.Tags.Contains(Tag));

    /// <summary>One page of matching records, oldest first; the token resumes after the last record read.</summary>
    public async Task<UsagePage> QueryAsync(IUsageStore store, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var results = new List<UsageRecord>(Math.Min(limit, 1024));
        var cursor = pageToken;
        var scanned = 0;
        var needsMatching = TeamId is not null || EndUser is not null || Model is not null || Tag is not null;
        while (true)
        {
            var page = await store.QueryAsync(From, To, KeyId, needsMatching ? Batch : limit - results.Count, cursor, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < page.Records.Count; i++)
            {
                var record = page.Records[i];
                scanned++;
                cursor = UsagePageToken.After(record);
                if (!Matches(record))
                    continue;
                results.Add(record);
                if (results.Count == limit)
                    return new UsagePage(results, i == page.Records.Count - 1 && page.NextPageToken is null ? null : cursor);
            }
            if (page.NextPageToken is null)
                return new UsagePage(results, null);
            cursor = page.NextPageToken;
            if (scanned >= MaxScannedPerPage)
                return new UsagePage(results, cursor);
        }
    }
}
