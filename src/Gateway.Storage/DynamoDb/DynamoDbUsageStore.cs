using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Gateway.Core.Storage;
using Gateway.Core.Usage;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>
/// Usage records in day partitions split 16 ways (<c>USAGE#day#shard</c>, shard from the request id) so one busy day
/// never becomes a hot partition; sort key <c>timestamp#request id</c>. A day is read by querying its shards in
/// parallel and merging; per-key reads use gsi2. Records expire after the retention period.
/// </summary>
public sealed class DynamoDbUsageStore(DynamoDbTable table, TimeSpan retention, TimeProvider time) : IUsageStore
{
    public const int Shards = 16;

    public Task AppendAsync(UsageRecord record, CancellationToken cancellationToken) =>
        table.Client.PutItemAsync(new PutItemRequest { TableName = table.Name, Item = DynamoDbUsageItem.From(record, retention) }, cancellationToken);

    public async Task<UsagePage> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? keyId, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        // Nothing older than the retention period exists, so a wide range never walks days that cannot hold records.
        var oldest = time.GetUtcNow() - retention - TimeSpan.FromDays(1);
        if (from < oldest)
            from = oldest;
        var after = UsagePageToken.TryParse(pageToken, out var ts, out var id) ? SortKey(ts, id) : SortKey(from.ToUnixTimeMilliseconds() - 1, "\uffff");
        var end = SortKey(to.ToUnixTimeMilliseconds(), "");
        var records = new List<UsageRecord>(Math.Min(limit, 1024));
        if (keyId is not null)
            records.AddRange(await QueryPartitionAsync("USAGEKEY#" + keyId, DynamoDbTableSchema.UsageByKeyIndex, after, end, limit + 1, cancellationToken).ConfigureAwait(false));
        else
            for (var day = from.UtcDateTime.Date; day < to.UtcDateTime && records.Count <= limit; day = day.AddDays(1))
                records.AddRange(await QueryDayAsync(day, after, end, limit + 1 - records.Count, cancellationToken).ConfigureAwait(false));
        if (records.Count <= limit)
            return new UsagePage(records, null);
        records.RemoveRange(limit, records.Count - limit);
        return new UsagePage(records, UsagePageToken.After(records[^1]));
    }

    public int DaySlices => Shards;

    private const int DayPageSize = 1000;

    /// <summary>One shard partition of the day, <see cref="DayPageSize"/> items (well under the 1 MB page cap) at a time,
    /// so each request stays short and a throttled page costs little to retry.</summary>
    public async IAsyncEnumerable<IReadOnlyList<UsageRecord>> ReadDaySliceAsync(DateOnly day, int slice,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partition = $"USAGE#{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}#{slice:D2}";
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await table.Client.QueryAsync(new QueryRequest
            {
                TableName = table.Name,
                KeyConditionExpression = "pk = :p",
                ExpressionAttributeValues = new() { [":p"] = S(partition) },
                ExclusiveStartKey = start,
                Limit = DayPageSize,
            }, cancellationToken).ConfigureAwait(false);
            if (response.Items is { Count: > 0 } items)
                yield return items.Select(DynamoDbUsageItem.Read).ToList();
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
    }

    private async Task<IEnumerable<UsageRecord>> QueryDayAsync(DateTime day, string after, string end, int limit, CancellationToken cancellationToken)
    {
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(shard =>
            QueryPartitionAsync($"USAGE#{dayText}#{shard:D2}", null, after, end, limit, cancellationToken))).ConfigureAwait(false);
        return shards.SelectMany(s => s).OrderBy(r => r.Timestamp).ThenBy(r => r.RequestId, StringComparer.Ordinal).Take(limit);
    }

    private async Task<List<UsageRecord>> QueryPartitionAsync(string partition, string? index, string after, string end, int limit, CancellationToken cancellationToken)
    {
        var (pk, sk) = index is null ? ("pk", "sk") : ("gsi2pk", "gsi2sk");
        var records = new List<UsageRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var response = await table.Client.QueryAsync(new QueryRequest
            {
                TableName = table.Name,
                IndexName = index,
                KeyConditionExpression = $"{pk} = :p AND {sk} BETWEEN :a AND :e",
                ExpressionAttributeValues = new() { [":p"] = S(partition), [":a"] = S(after + "\0"), [":e"] = S(end) },
                Limit = limit - records.Count,
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            records.AddRange(response.Items.Select(DynamoDbUsageItem.Read));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null && records.Count < limit);
        return records;
    }

    internal static string SortKey(long timestampMs, string requestId) =>
        timestampMs.ToString("D15", CultureInfo.InvariantCulture) + "#" + requestId;

    internal static int ShardOf(string requestId)
    {
        var hash = 2166136261u;
        foreach (var c in requestId)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash % Shards);
    }
}
