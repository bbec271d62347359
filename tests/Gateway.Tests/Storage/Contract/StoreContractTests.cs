using Gateway.Core.Storage;
using Gateway.Core.Usage;

namespace Gateway.Tests.Storage.Contract;

/// <summary>
/// One behavioural contract every store backend must meet, run against the embedded SQLite store and against
/// DynamoDB (moto_server). Callers never know which one they have; these tests are why that is safe.
/// </summary>
public abstract class StoreContractTests
{
    protected readonly ManualClock Clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    /// <summary>Fresh, empty stores; null when the backend is unavailable outside CI.</summary>
    protected abstract Task<GatewayStores?> OpenAsync();

    [Fact]
    public async Task Meters_TwoHundredConcurrentIncrements_AdmitExactlyTheLimit()
    {
        if (await OpenAsync() is not { } stores) return;
        var key = new MeterKey("key:race", "rpm", "p1");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            stores.Meters.TryApplyAsync(key, new MeterDelta(1), 50, Clock.GetUtcNow().AddHours(1), CancellationToken.None)));
        Assert.Equal(50, outcomes.Count(o => o.Applied));
        Assert.Equal(50m, (await stores.Meters.GetAsync(key, CancellationToken.None)).Used);
    }

    [Fact]
    public async Task Meters_ReserveSettleRelease_KeepSpentAndReservedExact()
    {
        if (await OpenAsync() is not { } stores) return;
        var key = new MeterKey("key:money", "spend", "m2026-11");
        var expires = Clock.GetUtcNow().AddDays(40);
        Assert.True((await stores.Meters.TryApplyAsync(key, MeterDelta.Reserve(0.000123456789m), 1m, expires, CancellationToken.None)).Applied);
        Assert.True((await stores.Meters.TryApplyAsync(key, MeterDelta.Reserve(0.5m), 1m, expires, CancellationToken.None)).Applied);
        var refused = await stores.Meters.TryApplyAsync(key, MeterDelta.Reserve(0.5m), 1m, expires, CancellationToken.None);
        Assert.False(refused.Applied);
        Assert.Equal(0.500123456789m, refused.Used);
        await stores.Meters.ApplyAsync(key, MeterDelta.Settle(0.000123456789m, 0.0000001m), expires, CancellationToken.None);
        await stores.Meters.ApplyAsync(key, MeterDelta.Release(0.5m), expires, CancellationToken.None);
        var snapshot = await stores.Meters.GetAsync(key, CancellationToken.None);
        Assert.Equal(0.0000001m, snapshot.Spent);
        Assert.Equal(0m, snapshot.Reserved);
    }

    [Fact]
    public async Task Meters_PastTheirExpiry_ReadAsZeroAndRestart()
    {
        if (await OpenAsync() is not { } stores) return;
        var key = new MeterKey("key:exp", "rpm", "p");
        Assert.True((await stores.Meters.TryApplyAsync(key, new MeterDelta(2), 2, Clock.GetUtcNow().AddMinutes(1), CancellationToken.None)).Applied);
        Assert.False((await stores.Meters.TryApplyAsync(key, new MeterDelta(1), 2, Clock.GetUtcNow().AddMinutes(1), CancellationToken.None)).Applied);
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0m, (await stores.Meters.GetAsync(key, CancellationToken.None)).Used);
        var restarted = await stores.Meters.TryApplyAsync(key, new MeterDelta(1), 2, Clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
        Assert.True(restarted.Applied);
        Assert.Equal(1m, restarted.Used);
    }

    [Fact]
    public async Task Usage_AppendedRecords_QueryByRangeAndKey_PagedWithoutGapsOrDuplicates()
    {
        if (await OpenAsync() is not { } stores) return;
        var start = Clock.GetUtcNow();
        for (var i = 0; i < 25; i++)
            await stores.Usage.AppendAsync(Record($"req-{i:D2}", start.AddSeconds(i), i % 2 == 0 ? "key-a" : "key-b"), CancellationToken.None);
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await stores.Usage.QueryAsync(start, start.AddMinutes(1), null, 10, token, CancellationToken.None);
            Assert.True(page.Records.Count <= 10);
            seen.AddRange(page.Records.Select(r => r.RequestId));
            token = page.NextPageToken;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"req-{i:D2}"), seen);
        var byKey = await stores.Usage.QueryAsync(start, start.AddMinutes(1), "key-b", 100, null, CancellationToken.None);
        Assert.Equal(12, byKey.Records.Count);
        var first = (await stores.Usage.QueryAsync(start, start.AddSeconds(1), null, 10, null, CancellationToken.None)).Records.Single();
        Assert.Equal((30L, 7L, 20L, "gpt-4o-mini", 2, "backup"), (first.PromptTokens, first.CompletionTokens, first.CachedReadTokens, first.RequestedModel, first.Attempts, first.Fallbacks));
    }

    [Fact]
    public async Task Usage_EveryField_RoundTripsExactly()
    {
        if (await OpenAsync() is not { } stores) return;
        var full = Record("req-full", Clock.GetUtcNow(), "key-f") with
        {
            KeyAlias = "alias", TeamId = "team-1", EndUser = "user-9", Tags = ["a-tag", "b-tag"], ModelGroup = "group", Deployment = "dep",
            Provider = "bedrock", ProviderModel = "anthropic.claude", Region = "eu-west-1", Status = "failure", HttpStatus = 429,
            ErrorKind = "RateLimited", CacheWriteTokens = 11, ReasoningTokens = 5, TimeToFirstTokenMs = 42.25, Stream = true,
            Cost = 0.000123456789012m, SavedCost = 1.5m, CacheStatus = "hit", RequestBody = "{\"q\":1}", ResponseBody = "data: x",
        };
        var unpriced = Record("req-unpriced", Clock.GetUtcNow().AddSeconds(1), "key-f") with { Unpriced = true, Cost = null };
        await stores.Usage.AppendAsync(full, CancellationToken.None);
        await stores.Usage.AppendAsync(unpriced, CancellationToken.None);

        var read = (await stores.Usage.QueryAsync(Clock.GetUtcNow(), Clock.GetUtcNow().AddMinutes(1), null, 10, null, CancellationToken.None)).Records;

        Assert.Equal(Json(full), Json(read[0]));
        Assert.Equal(Json(unpriced), Json(read[1]));
    }

    private static string Json(UsageRecord r) => System.Text.Json.JsonSerializer.Serialize(r, UsageJsonContext.Default.UsageRecord);

    [Fact]
    public async Task Keys_CreateGetUpdateDelete_AndListByTeamInPages()
    {
        if (await OpenAsync() is not { } stores) return;
        var keys = Enumerable.Range(0, 5).Select(i => new VirtualKeyRecord
        {
            KeyHash = $"hash{i}", KeyId = $"id{i}", TeamId = i < 3 ? "t1" : null, MaxBudget = 1.25m, CreatedAt = Clock.GetUtcNow().AddSeconds(i),
            Models = ["m"], Metadata = new Dictionary<string, string> { ["k"] = "v" },
        }).ToList();
        foreach (var k in keys)
            Assert.True(await stores.Keys.CreateAsync(k, CancellationToken.None));
        Assert.False(await stores.Keys.CreateAsync(keys[0], CancellationToken.None));
        Assert.Equal(1.25m, (await stores.Keys.GetByHashAsync("hash1", CancellationToken.None))!.MaxBudget);
        Assert.True(await stores.Keys.UpdateAsync(keys[1] with { Blocked = true }, CancellationToken.None));
        Assert.True((await stores.Keys.GetByHashAsync("hash1", CancellationToken.None))!.Blocked);
        Assert.False(await stores.Keys.UpdateAsync(keys[0] with { KeyHash = "missing" }, CancellationToken.None));
        var page1 = await stores.Keys.ListAsync("t1", 2, null, CancellationToken.None);
        var page2 = await stores.Keys.ListAsync("t1", 2, page1.NextPageToken, CancellationToken.None);
        Assert.Equal(["hash0", "hash1", "hash2"], page1.Keys.Concat(page2.Keys).Select(k => k.KeyHash));
        Assert.Null(page2.NextPageToken);
        Assert.True(await stores.Keys.DeleteAsync("hash0", CancellationToken.None));
        Assert.False(await stores.Keys.DeleteAsync("hash0", CancellationToken.None));
        Assert.Null(await stores.Keys.GetByHashAsync("hash0", CancellationToken.None));
    }

    [Fact]
    public async Task TeamsAndCustomers_RoundTrip()
    {
        if (await OpenAsync() is not { } stores) return;
        Assert.True(await stores.Teams.CreateAsync(new TeamRecord { TeamId = "a", MaxBudget = 3m }, CancellationToken.None));
        Assert.True(await stores.Teams.CreateAsync(new TeamRecord { TeamId = "b" }, CancellationToken.None));
        Assert.False(await stores.Teams.CreateAsync(new TeamRecord { TeamId = "a" }, CancellationToken.None));
        Assert.True(await stores.Teams.UpdateAsync(new TeamRecord { TeamId = "a", MaxBudget = 4m }, CancellationToken.None));
        Assert.Equal(4m, (await stores.Teams.GetAsync("a", CancellationToken.None))!.MaxBudget);
        var page = await stores.Teams.ListAsync(1, null, CancellationToken.None);
        var rest = await stores.Teams.ListAsync(1, page.NextPageToken, CancellationToken.None);
        Assert.Equal(["a", "b"], page.Teams.Concat(rest.Teams).Select(t => t.TeamId));
        Assert.True(await stores.Teams.DeleteAsync("b", CancellationToken.None));
        await stores.Customers.PutAsync(new CustomerRecord { UserId = "u1", MaxBudget = 2m }, CancellationToken.None);
        Assert.Equal(2m, (await stores.Customers.GetAsync("u1", CancellationToken.None))!.MaxBudget);
        Assert.True(await stores.Customers.DeleteAsync("u1", CancellationToken.None));
        Assert.Null(await stores.Customers.GetAsync("u1", CancellationToken.None));
    }

    [Fact]
    public async Task Cache_HitsUntilExpiry_AndDeletes()
    {
        if (await OpenAsync() is not { } stores) return;
        await stores.Cache.PutAsync("k1", new byte[] { 1, 2, 3 }, Clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await stores.Cache.GetAsync("k1", CancellationToken.None))!.Value.ToArray());
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await stores.Cache.GetAsync("k1", CancellationToken.None));
        await stores.Cache.PutAsync("k2", new byte[] { 9 }, Clock.GetUtcNow().AddMinutes(1), CancellationToken.None);
        await stores.Cache.DeleteAsync("k2", CancellationToken.None);
        Assert.Null(await stores.Cache.GetAsync("k2", CancellationToken.None));
    }

    [Fact]
    public async Task Rollups_ReplacingADayTwice_GivesTheSameRows()
    {
        if (await OpenAsync() is not { } stores) return;
        var day = new DateOnly(2026, 11, 23);
        DailyRollup Row(string value, decimal cost) => new() { Day = day, Dimension = "team", Value = value, Requests = 3, Cost = cost };
        await stores.Rollups.ReplaceDayAsync(day, [Row("a", 1.000000001m), Row("stale", 5m)], CancellationToken.None);
        await stores.Rollups.ReplaceDayAsync(day, [Row("a", 1.000000001m), Row("b", 2m)], CancellationToken.None);
        await stores.Rollups.ReplaceDayAsync(day, [Row("a", 1.000000001m), Row("b", 2m)], CancellationToken.None);
        var rows = await stores.Rollups.QueryAsync(day, day, "team", CancellationToken.None);
        Assert.Equal([("a", 1.000000001m), ("b", 2m)], rows.OrderBy(r => r.Value).Select(r => (r.Value, r.Cost)));
        Assert.Empty(await stores.Rollups.QueryAsync(day, day, "model", CancellationToken.None));
    }

    [Fact]
    public async Task Usage_ReadDaySlices_ReturnEveryRecordOfTheDayOnce_AndNoneOfOtherDays()
    {
        if (await OpenAsync() is not { } stores) return;
        var day = new DateOnly(2026, 11, 23);
        var midnight = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var inDay = Enumerable.Range(0, 40).Select(i => Record($"in-{i:D2}", midnight.AddMinutes(i * 36), "k")).ToList();
        foreach (var r in inDay.Append(Record("before", midnight.AddMilliseconds(-1), "k")).Append(Record("after", midnight.AddDays(1), "k")))
            await stores.Usage.AppendAsync(r, CancellationToken.None);
        var seen = new List<string>();
        for (var slice = 0; slice < stores.Usage.DaySlices; slice++)
            await foreach (var page in stores.Usage.ReadDaySliceAsync(day, slice, CancellationToken.None))
                seen.AddRange(page.Select(r => r.RequestId));
        Assert.Equal(inDay.Select(r => r.RequestId).Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RollupJob_RunTwiceOverStoredRecords_GivesTheSameRows_AndRecordsEachRun()
    {
        if (await OpenAsync() is not { } stores) return;
        var day = new DateOnly(2026, 11, 23);
        var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        await stores.Usage.AppendAsync(Record("a", noon, "k1") with { TeamId = "t1", Cost = 0.25m, Tags = ["x", "y"] }, CancellationToken.None);
        await stores.Usage.AppendAsync(Record("b", noon.AddHours(8), "k1") with { TeamId = "t1", Cost = 0.5m, Status = "failure", CacheStatus = "hit" }, CancellationToken.None);
        await stores.Usage.AppendAsync(Record("c", noon.AddHours(-11), "k2") with { Cost = 1m }, CancellationToken.None);
        var job = new Gateway.Core.Rollups.RollupJob(stores.Usage, stores.Rollups, Clock);
        var first = await job.RunAsync(day, day, "manual", CancellationToken.None);
        var rowsAfterFirst = await stores.Rollups.QueryAsync(day, day, "team", CancellationToken.None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        await job.RunAsync(day, day, "manual", CancellationToken.None);
        var rows = await stores.Rollups.QueryAsync(day, day, "team", CancellationToken.None);
        Assert.Equal(rowsAfterFirst.OrderBy(r => r.Value), rows.OrderBy(r => r.Value));
        var t1 = rows.Single(r => r.Value == "t1");
        Assert.Equal((2L, 1L, 1L, 1L, 0.75m, 60L), (t1.Requests, t1.Successes, t1.Failures, t1.CacheHits, t1.Cost, t1.PromptTokens));
        Assert.Equal(1m, rows.Single(r => r.Value == "(none)").Cost);
        var total = (await stores.Rollups.QueryAsync(day, day, "total", CancellationToken.None)).Single();
        Assert.Equal((3L, 1.75m), (total.Requests, total.Cost));
        var tags = await stores.Rollups.QueryAsync(day, day, "tag", CancellationToken.None);
        Assert.Equal(["(none)", "x", "y"], tags.Select(r => r.Value).Order(StringComparer.Ordinal));
        Assert.Equal(("ok", 3L), (first[0].Outcome, first[0].RecordsRead));
        var runs = await stores.Rollups.RecentRunsAsync(10, CancellationToken.None);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Equal((day, "ok", 3L), (r.Day, r.Outcome, r.RecordsRead)));
    }

    [Fact]
    public async Task RollupRuns_ListedNewestFirst_WithTheirFailures()
    {
        if (await OpenAsync() is not { } stores) return;
        var day = new DateOnly(2026, 11, 20);
        for (var i = 0; i < 3; i++)
            await stores.Rollups.RecordRunAsync(new RollupRun
            {
                Day = day.AddDays(i), StartedAt = Clock.GetUtcNow().AddMinutes(i), Trigger = "schedule", RecordsRead = i, Rows = i * 2,
                DurationMs = 1.5, Outcome = i == 2 ? "failed" : "ok", Error = i == 2 ? "IOException: gone" : null,
            }, CancellationToken.None);
        var runs = await stores.Rollups.RecentRunsAsync(2, CancellationToken.None);
        Assert.Equal([day.AddDays(2), day.AddDays(1)], runs.Select(r => r.Day));
        Assert.Equal(("failed", "IOException: gone", "schedule", 4), (runs[0].Outcome, runs[0].Error, runs[0].Trigger, runs[0].Rows));
    }

    [Fact]
    public async Task Health_ReportsReachable()
    {
        if (await OpenAsync() is not { } stores) return;
        Assert.True(await stores.Health.IsReachableAsync(CancellationToken.None));
    }

    private static UsageRecord Record(string id, DateTimeOffset at, string key) => new()
    {
        RequestId = id, Timestamp = at, KeyId = key, RequestedModel = "gpt-4o-mini", Status = "success", HttpStatus = 200,
        PromptTokens = 30, CompletionTokens = 7, CachedReadTokens = 20, LatencyMs = 12.5, Attempts = 2, Fallbacks = "backup",
    };
}

public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
