using System.Globalization;
using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Microsoft.Data.Sqlite;

namespace Gateway.Storage.Sqlite;

/// <summary>Usage records in the embedded store, paged by (timestamp, request id). Records older than the retention
/// period are deleted as writes go (one bounded DELETE every <see cref="PurgeEvery"/> appends), as DynamoDB's TTL does there.</summary>
public sealed class SqliteUsageStore(SqliteDatabase db, TimeSpan retention, TimeProvider time) : IUsageStore
{
    private const int PurgeEvery = 1000;
    private int _appends = -1;

    public SqliteUsageStore(SqliteDatabase db) : this(db, TimeSpan.FromDays(90), TimeProvider.System)
    {
    }

    private const string Columns = "request_id, ts, key_id, requested_model, deployment, provider, provider_model, status, http_status, error_kind, " +
                                   "prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, latency_ms, ttft_ms, stream, attempts, fallbacks, " +
                                   "key_alias, team_id, end_user, tags, model_group, region, cost, saved_cost, unpriced, cache_status, request_body, response_body";

    public Task AppendAsync(UsageRecord r, CancellationToken cancellationToken) => db.WriteAsync((connection, transaction) =>
    {
        if (Interlocked.Increment(ref _appends) % PurgeEvery == 0)
            PurgeExpired(connection, transaction);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT OR REPLACE INTO usage ({Columns}) VALUES " +
                              "($id,$ts,$key,$model,$dep,$prov,$pmodel,$status,$http,$err,$pt,$ct,$crt,$cwt,$rt,$lat,$ttft,$stream,$att,$fb," +
                              "$kal,$team,$user,$tags,$group,$region,$cost,$saved,$unpriced,$cache,$reqb,$resb)";
        var p = command.Parameters;
        p.AddWithValue("$id", r.RequestId);
        p.AddWithValue("$ts", r.Timestamp.ToUnixTimeMilliseconds());
        p.AddWithValue("$key", r.KeyId);
        p.AddWithValue("$model", r.RequestedModel);
        p.AddWithValue("$dep", (object?)r.Deployment ?? DBNull.Value);
        p.AddWithValue("$prov", (object?)r.Provider ?? DBNull.Value);
        p.AddWithValue("$pmodel", (object?)r.ProviderModel ?? DBNull.Value);
        p.AddWithValue("$status", r.Status);
        p.AddWithValue("$http", r.HttpStatus);
        p.AddWithValue("$err", (object?)r.ErrorKind ?? DBNull.Value);
        p.AddWithValue("$pt", r.PromptTokens);
        p.AddWithValue("$ct", r.CompletionTokens);
        p.AddWithValue("$crt", r.CachedReadTokens);
        p.AddWithValue("$cwt", r.CacheWriteTokens);
        p.AddWithValue("$rt", r.ReasoningTokens);
        p.AddWithValue("$lat", r.LatencyMs);
        p.AddWithValue("$ttft", (object?)r.TimeToFirstTokenMs ?? DBNull.Value);
        p.AddWithValue("$stream", r.Stream ? 1 : 0);
        p.AddWithValue("$att", r.Attempts);
        p.AddWithValue("$fb", (object?)r.Fallbacks ?? DBNull.Value);
        p.AddWithValue("$kal", (object?)r.KeyAlias ?? DBNull.Value);
        p.AddWithValue("$team", (object?)r.TeamId ?? DBNull.Value);
        p.AddWithValue("$user", (object?)r.EndUser ?? DBNull.Value);
        p.AddWithValue("$tags", r.Tags.Count == 0 ? DBNull.Value : System.Text.Json.JsonSerializer.Serialize(r.Tags, StorageJsonContext.Default.IReadOnlyListString));
        p.AddWithValue("$group", (object?)r.ModelGroup ?? DBNull.Value);
        p.AddWithValue("$region", (object?)r.Region ?? DBNull.Value);
        p.AddWithValue("$cost", r.Cost is { } cost ? cost.ToString(CultureInfo.InvariantCulture) : DBNull.Value);
        p.AddWithValue("$saved", r.SavedCost.ToString(CultureInfo.InvariantCulture));
        p.AddWithValue("$unpriced", r.Unpriced ? 1 : 0);
        p.AddWithValue("$cache", (object?)r.CacheStatus ?? DBNull.Value);
        p.AddWithValue("$reqb", (object?)r.RequestBody ?? DBNull.Value);
        p.AddWithValue("$resb", (object?)r.ResponseBody ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public Task<UsagePage> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? keyId, int limit, string? pageToken, CancellationToken cancellationToken) =>
        db.ReadAsync(async (connection, ct) =>
        {
            var (afterTs, afterId) = DecodeToken(pageToken, from);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM usage WHERE ts < $to AND (ts > $ats OR (ts = $ats AND request_id > $aid))" +
                                  (keyId is null ? "" : " AND key_id = $key") + " ORDER BY ts, request_id LIMIT $limit";
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$ats", afterTs);
            command.Parameters.AddWithValue("$aid", afterId);
            command.Parameters.AddWithValue("$limit", limit + 1);
            if (keyId is not null)
                command.Parameters.AddWithValue("$key", keyId);
            var records = new List<UsageRecord>(Math.Min(limit + 1, 1024));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                records.Add(Read(reader));
            if (records.Count <= limit)
                return new UsagePage(records, null);
            records.RemoveAt(limit);
            return new UsagePage(records, UsagePageToken.After(records[^1]));
        }, cancellationToken);

    /// <summary>Four six-hour blocks: pooled WAL readers run them in parallel without blocking the writer.</summary>
    public int DaySlices => 4;

    public async IAsyncEnumerable<IReadOnlyList<UsageRecord>> ReadDaySliceAsync(DateOnly day, int slice,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(slice * 24 / DaySlices);
        var end = start.AddHours(24 / DaySlices);
        string? token = null;
        do
        {
            var page = await QueryAsync(start, end, null, DayPageSize, token, cancellationToken).ConfigureAwait(false);
            if (page.Records.Count > 0)
                yield return page.Records;
            token = page.NextPageToken;
        }
        while (token is not null);
    }

    private const int DayPageSize = 5000;

    private void PurgeExpired(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var purge = connection.CreateCommand();
        purge.Transaction = transaction;
        purge.CommandText = "DELETE FROM usage WHERE ts < $cutoff";
        purge.Parameters.AddWithValue("$cutoff", (time.GetUtcNow() - retention).ToUnixTimeMilliseconds());
        purge.ExecuteNonQuery();
    }

    private static (long Ts, string Id) DecodeToken(string? token, DateTimeOffset from) =>
        UsagePageToken.TryParse(token, out var ts, out var id) ? (ts, id) : (from.ToUnixTimeMilliseconds(), "");

    private static UsageRecord Read(SqliteDataReader r) => new()
    {
        RequestId = r.GetString(0),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
        KeyId = r.GetString(2),
        RequestedModel = r.GetString(3),
        Deployment = r.IsDBNull(4) ? null : r.GetString(4),
        Provider = r.IsDBNull(5) ? null : r.GetString(5),
        ProviderModel = r.IsDBNull(6) ? null : r.GetString(6),
        Status = r.GetString(7),
        HttpStatus = r.GetInt32(8),
        ErrorKind = r.IsDBNull(9) ? null : r.GetString(9),
        PromptTokens = r.GetInt64(10),
        CompletionTokens = r.GetInt64(11),
        CachedReadTokens = r.GetInt64(12),
        CacheWriteTokens = r.GetInt64(13),
        ReasoningTokens = r.GetInt64(14),
        LatencyMs = r.GetDouble(15),
        TimeToFirstTokenMs = r.IsDBNull(16) ? null : r.GetDouble(16),
        Stream = r.GetInt64(17) != 0,
        Attempts = r.GetInt32(18),
        Fallbacks = r.IsDBNull(19) ? null : r.GetString(19),
        KeyAlias = r.IsDBNull(20) ? null : r.GetString(20),
        TeamId = r.IsDBNull(21) ? null : r.GetString(21),
        EndUser = r.IsDBNull(22) ? null : r.GetString(22),
        Tags = r.IsDBNull(23) ? [] : System.Text.Json.JsonSerializer.Deserialize(r.GetString(23), StorageJsonContext.Default.IReadOnlyListString) ?? [],
        ModelGroup = r.IsDBNull(24) ? null : r.GetString(24),
        Region = r.IsDBNull(25) ? null : r.GetString(25),
        Cost = r.IsDBNull(26) ? null : decimal.Parse(r.GetString(26), NumberStyles.Float, CultureInfo.InvariantCulture),
        SavedCost = r.IsDBNull(27) ? 0m : decimal.Parse(r.GetString(27), NumberStyles.Float, CultureInfo.InvariantCulture),
        Unpriced = !r.IsDBNull(28) && r.GetInt64(28) != 0,
        CacheStatus = r.IsDBNull(29) ? null : r.GetString(29),
        RequestBody = r.IsDBNull(30) ? null : r.GetString(30),
        ResponseBody = r.IsDBNull(31) ? null : r.GetString(31),
    };
}
