using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Gateway.Core.Storage;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>Daily rollups (<c>ROLLUP#day</c>, sort key <c>dimension#value</c>). Writing a day deletes the rows it no longer
/// has and overwrites the rest, so a re-run gives the same rows.</summary>
public sealed class DynamoDbRollupStore(DynamoDbTable table) : IRollupStore
{
    public async Task ReplaceDayAsync(DateOnly day, IReadOnlyList<DailyRollup> rows, CancellationToken cancellationToken)
    {
        var pk = "ROLLUP#" + Day(day);
        var existing = await QueryDayAsync(day, null, cancellationToken).ConfigureAwait(false);
        var keep = rows.Select(r => r.Dimension + "#" + r.Value).ToHashSet(StringComparer.Ordinal);
        var writes = existing.Where(r => !keep.Contains(r.Dimension + "#" + r.Value))
            .Select(r => new WriteRequest { DeleteRequest = new DeleteRequest { Key = Key(pk, r.Dimension + "#" + r.Value) } })
            .Concat(rows.Select(r => new WriteRequest { PutRequest = new PutRequest { Item = Item(pk, r) } }))
            .ToList();
        foreach (var batch in writes.Chunk(25))
        {
            var pending = new Dictionary<string, List<WriteRequest>> { [table.Name] = batch.ToList() };
            while (pending.Count > 0 && pending.Values.Sum(v => v.Count) > 0)
            {
                var response = await table.Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = pending }, cancellationToken).ConfigureAwait(false);
                pending = response.UnprocessedItems ?? [];
            }
        }
    }

    public async Task<IReadOnlyList<DailyRollup>> QueryAsync(DateOnly from, DateOnly to, string dimension, CancellationToken cancellationToken)
    {
        var rows = new List<DailyRollup>();
        for (var day = from; day <= to; day = day.AddDays(1))
            rows.AddRange(await QueryDayAsync(day, dimension, cancellationToken).ConfigureAwait(false));
        return rows;
    }

    private async Task<List<DailyRollup>> QueryDayAsync(DateOnly day, string? dimension, CancellationToken cancellationToken)
    {
        var rows = new List<DailyRollup>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = table.Name,
                KeyConditionExpression = dimension is null ? "pk = :p" : "pk = :p AND begins_with(sk, :d)",
                ExpressionAttributeValues = new() { [":p"] = S("ROLLUP#" + Day(day)) },
                ExclusiveStartKey = start,
            };
            if (dimension is not null)
                request.ExpressionAttributeValues[":d"] = S(dimension + "#");
            var response = await table.Client.QueryAsync(request, cancellationToken).ConfigureAwait(false);
            rows.AddRange(response.Items.Select(i => Read(day, i)));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return rows;
    }

    /// <summary>Runs live in one partition (<c>ROLLUPRUNS</c>, sort key <c>started ms#day</c>): a few dozen a day, expired by TTL.</summary>
    public Task RecordRunAsync(RollupRun run, CancellationToken cancellationToken)
    {
        var item = Key(RunsPartition, DynamoDbUsageStore.SortKey(run.StartedAt.ToUnixTimeMilliseconds(), Day(run.Day)));
        item["day"] = S(Day(run.Day));
        item["started_at"] = N(run.StartedAt.ToUnixTimeMilliseconds());
        item["trigger"] = S(run.Trigger);
        item["records_read"] = N(run.RecordsRead);
        item["rows"] = N(run.Rows);
        item["duration_ms"] = N(run.DurationMs);
        item["outcome"] = S(run.Outcome);
        if (run.Error is { } error)
            item["error"] = S(error);
        item["ttl"] = N(Epoch(run.StartedAt.AddDays(90)));
        return table.Client.PutItemAsync(new PutItemRequest { TableName = table.Name, Item = item }, cancellationToken);
    }

    public async Task<IReadOnlyList<RollupRun>> RecentRunsAsync(int limit, CancellationToken cancellationToken)
    {
        var response = await table.Client.QueryAsync(new QueryRequest
        {
            TableName = table.Name,
            KeyConditionExpression = "pk = :p",
            ExpressionAttributeValues = new() { [":p"] = S(RunsPartition) },
            ScanIndexForward = false,
            Limit = limit,
        }, cancellationToken).ConfigureAwait(false);
        return response.Items.Select(i => new RollupRun
        {
            Day = DateOnly.ParseExact(Str(i, "day")!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(Long(i, "started_at")),
            Trigger = Str(i, "trigger") ?? "",
            RecordsRead = Long(i, "records_read"),
            Rows = (int)Long(i, "rows"),
            DurationMs = Dbl(i, "duration_ms") ?? 0,
            Outcome = Str(i, "outcome") ?? "",
            Error = Str(i, "error"),
        }).ToList();
    }

    private const string RunsPartition = "ROLLUPRUNS";

    private static Dictionary<string, AttributeValue> Item(string pk, DailyRollup r)
    {
        var item = Key(pk, r.Dimension + "#" + r.Value);
        item["dimension"] = S(r.Dimension);
        item["value"] = S(r.Value);
        item["requests"] = N(r.Requests);
        item["successes"] = N(r.Successes);
        item["failures"] = N(r.Failures);
        item["cache_hits"] = N(r.CacheHits);
        item["prompt_tokens"] = N(r.PromptTokens);
        item["completion_tokens"] = N(r.CompletionTokens);
        item["cached_tokens"] = N(r.CachedTokens);
        item["reasoning_tokens"] = N(r.ReasoningTokens);
        item["cost"] = N(r.Cost);
        item["saved_cost"] = N(r.SavedCost);
        return item;
    }

    private static DailyRollup Read(DateOnly day, Dictionary<string, AttributeValue> i) => new()
    {
        Day = day,
        Dimension = Str(i, "dimension")!,
        Value = Str(i, "value")!,
        Requests = Long(i, "requests"),
        Successes = Long(i, "successes"),
        Failures = Long(i, "failures"),
        CacheHits = Long(i, "cache_hits"),
        PromptTokens = Long(i, "prompt_tokens"),
        CompletionTokens = Long(i, "completion_tokens"),
        CachedTokens = Long(i, "cached_tokens"),
        ReasoningTokens = Long(i, "reasoning_tokens"),
        Cost = Dec(i, "cost"),
        SavedCost = Dec(i, "saved_cost"),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
