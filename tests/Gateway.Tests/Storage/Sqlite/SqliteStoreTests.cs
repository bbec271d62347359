using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Gateway.Storage.Sqlite;

namespace Gateway.Tests.Storage.Sqlite;

/// <summary>Each test gets a fresh database in its own temporary directory.</summary>
public sealed class SqliteStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gateway-sqlite-tests-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTime _time = new(T0);
    private SqliteDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = SqliteDatabase.Open(_dir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static UsageRecord Usage(string id, DateTimeOffset at, string key = "key-a") => new()
    {
        RequestId = id, Timestamp = at, KeyId = key, RequestedModel = "gpt-4o", Status = "success", HttpStatus = 200,
    };

    [Fact]
    public async Task Usage_AppendThenQueryByTimeRange_ReturnsRecordsInRangeOldestFirst()
    {
        var store = new SqliteUsageStore(_db);
        var full = Usage("req-full", T0.AddMinutes(2)) with
        {
            Deployment = "dep-1", Provider = "openai", ProviderModel = "gpt-4o-2024-08-06", ErrorKind = "RateLimited",
            HttpStatus = 429, Status = "failure", PromptTokens = 2000, CompletionTokens = 300, CachedReadTokens = 1500,
            CacheWriteTokens = 7, ReasoningTokens = 64, LatencyMs = 812.25, TimeToFirstTokenMs = 101.5, Stream = true,
        };
        foreach (var r in new[] { Usage("req-3", T0.AddMinutes(3)), full, Usage("req-0", T0), Usage("req-1", T0.AddMinutes(1)) })
            await store.AppendAsync(r, None);

        var page = await store.QueryAsync(T0.AddMinutes(1), T0.AddMinutes(3), null, 100, null, None);

        Assert.Equal(["req-1", "req-full"], page.Records.Select(r => r.RequestId));
        Assert.Equal(full, page.Records[1]);
        Assert.Null(page.NextPageToken);
    }

    [Fact]
    public async Task Usage_QueryByKey_ReturnsOnlyThatKey()
    {
        var store = new SqliteUsageStore(_db);
        for (var i = 0; i < 6; i++)
            await store.AppendAsync(Usage($"req-{i}", T0.AddSeconds(i), i % 2 == 0 ? "key-a" : "key-b"), None);

        var page = await store.QueryAsync(T0, T0.AddHours(1), "key-b", 100, null, None);

        Assert.Equal(["req-1", "req-3", "req-5"], page.Records.Select(r => r.RequestId));
    }

    [Fact]
    public async Task Usage_AppendSameRequestTwice_StoredOnce()
    {
        var store = new SqliteUsageStore(_db);
        await store.AppendAsync(Usage("req-1", T0) with { PromptTokens = 1 }, None);

        await store.AppendAsync(Usage("req-1", T0) with { PromptTokens = 2 }, None);

        var record = Assert.Single((await store.QueryAsync(T0, T0.AddHours(1), null, 100, null, None)).Records);
        Assert.Equal(2, record.PromptTokens);
    }

    [Fact]
    public async Task Usage_Paging25WithLimit10_NoDuplicatesNoGapsOrdered()
    {
        var store = new SqliteUsageStore(_db);
        // Several records share a timestamp, so paging must also order by request id.
        var records = Enumerable.Range(0, 25).Select(i => Usage($"req-{i:D2}", T0.AddMilliseconds(i / 3))).ToList();
        foreach (var r in records.OrderByDescending(r => r.RequestId))
            await store.AppendAsync(r, None);

        var seen = new List<string>();
        var pageSizes = new List<int>();
        string? token = null;
        do
        {
            var page = await store.QueryAsync(T0, T0.AddHours(1), null, 10, token, None);
            seen.AddRange(page.Records.Select(r => r.RequestId));
            pageSizes.Add(page.Records.Count);
            token = page.NextPageToken;
        } while (token is not null && pageSizes.Count < 10);

        Assert.Equal([10, 10, 5], pageSizes);
        Assert.Equal(records.Select(r => r.RequestId), seen);
    }

    [Fact]
    public async Task Meter_200ConcurrentIncrementsLimit50_AdmitsExactly50()
    {
        var store = new SqliteMeterStore(_db, _time);
        var key = new MeterKey("key:abc", "rpm", "2026-11-24T10:00");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            Task.Run(() => store.TryApplyAsync(key, new MeterDelta(1), 50, T0.AddMinutes(2), None))));

        Assert.Equal(50, outcomes.Count(o => o.Applied));
        Assert.All(outcomes.Where(o => !o.Applied), o => Assert.Equal(50m, o.Used));
        Assert.Equal(new MeterSnapshot(50, 0), await store.GetAsync(key, None));
    }

    [Fact]
    public async Task Meter_ReserveSettleRelease_KeepsSpentEqualUsedMinusReserved()
    {
        var store = new SqliteMeterStore(_db, _time);
        var key = new MeterKey("team:t1", "spend", "2026-11");
        var expires = T0.AddDays(30);

        Assert.True((await store.TryApplyAsync(key, MeterDelta.Reserve(10m), 100m, expires, None)).Applied);
        var reserved = await store.GetAsync(key, None);
        await store.ApplyAsync(key, MeterDelta.Settle(10m, 7.25m), expires, None);
        var settled = await store.GetAsync(key, None);
        Assert.True((await store.TryApplyAsync(key, MeterDelta.Reserve(5m), 100m, expires, None)).Applied);
        await store.ApplyAsync(key, MeterDelta.Release(5m), expires, None);
        var released = await store.GetAsync(key, None);
        var refused = await store.TryApplyAsync(key, MeterDelta.Reserve(93m), 100m, expires, None);

        Assert.Equal((10m, 10m, 0m), (reserved.Used, reserved.Reserved, reserved.Spent));
        Assert.Equal((7.25m, 0m, 7.25m), (settled.Used, settled.Reserved, settled.Spent));
        Assert.Equal((7.25m, 0m, 7.25m), (released.Used, released.Reserved, released.Spent));
        Assert.Equal(new MeterOutcome(false, 7.25m), refused);
    }

    [Fact]
    public async Task Meter_Expired_ReadsAsZeroAndRestartsFromZero()
    {
        var store = new SqliteMeterStore(_db, _time);
        var key = new MeterKey("key:abc", "rpm", "2026-11-24T10:00");
        await store.ApplyAsync(key, new MeterDelta(40), T0.AddMinutes(1), None);

        _time.Now = T0.AddMinutes(1);
        var expired = await store.GetAsync(key, None);
        var after = await store.TryApplyAsync(key, new MeterDelta(1), 1, T0.AddMinutes(2), None);

        Assert.Equal(new MeterSnapshot(0, 0), expired);
        Assert.Equal(new MeterOutcome(true, 1), after);
    }

    [Fact]
    public async Task Meter_TinyDecimal_RoundTripsExactly()
    {
        var store = new SqliteMeterStore(_db, _time);
        var key = new MeterKey("key:abc", "spend", "2026-11-24");

        await store.ApplyAsync(key, new MeterDelta(0.000000123456789m, 0.000000000000001m), T0.AddDays(1), None);
        await store.ApplyAsync(key, new MeterDelta(0.000000123456789m), T0.AddDays(1), None);

        Assert.Equal(new MeterSnapshot(0.000000246913578m, 0.000000000000001m), await store.GetAsync(key, None));
    }

    [Fact]
    public async Task Cache_PutGetExpireDelete_BehavesAsStored()
    {
        var store = new SqliteResponseCacheStore(_db, _time);
        byte[] first = [1, 2, 3, 0, 255], second = [9];

        Assert.Null(await store.GetAsync("missing", None));
        await store.PutAsync("k1", first, T0.AddMinutes(5), None);
        Assert.Equal(first, (await store.GetAsync("k1", None))?.ToArray());
        await store.PutAsync("k1", second, T0.AddMinutes(10), None);
        Assert.Equal(second, (await store.GetAsync("k1", None))?.ToArray());

        _time.Now = T0.AddMinutes(10);
        Assert.Null(await store.GetAsync("k1", None));

        await store.PutAsync("k2", first, T0.AddHours(1), None);
        await store.DeleteAsync("k2", None);
        Assert.Null(await store.GetAsync("k2", None));
    }

    private static VirtualKeyRecord Key(int n, string? team) => new()
    {
        KeyHash = $"{n:D4}" + new string('a', 60), KeyId = $"vk-{n:D4}", TeamId = team, KeyAlias = $"alias-{n}",
        Models = ["gpt-4o", "mock-gpt"], MaxBudget = 12.345678901234m, RpmLimit = 60, TpmLimit = 100_000,
        Expires = T0.AddDays(30), Metadata = new Dictionary<string, string> { ["owner"] = "ana" }, Tags = ["prod"],
        CreatedAt = T0.AddSeconds(n), UpdatedAt = T0.AddSeconds(n),
    };

    [Fact]
    public async Task Keys_CreateGetUpdateDelete_RoundTrip()
    {
        var store = new SqliteKeyStore(_db);
        var key = Key(1, "t1");

        Assert.True(await store.CreateAsync(key, None));
        Assert.False(await store.CreateAsync(key with { KeyAlias = "other" }, None));
        var read = await store.GetByHashAsync(key.KeyHash, None);
        Assert.NotNull(read);
        Assert.Equal((key.KeyId, key.TeamId, key.KeyAlias, key.MaxBudget, key.RpmLimit, key.TpmLimit, key.Expires, key.CreatedAt),
            (read.KeyId, read.TeamId, read.KeyAlias, read.MaxBudget, read.RpmLimit, read.TpmLimit, read.Expires, read.CreatedAt));
        Assert.Equal(key.Models, read.Models);
        Assert.Equal(key.Metadata, read.Metadata);

        Assert.True(await store.UpdateAsync(key with { Blocked = true, MaxBudget = 99m }, None));
        var updated = await store.GetByHashAsync(key.KeyHash, None);
        Assert.True(updated?.Blocked);
        Assert.Equal(99m, updated?.MaxBudget);
        Assert.False(await store.UpdateAsync(Key(2, "t1"), None));

        Assert.True(await store.DeleteAsync(key.KeyHash, None));
        Assert.Null(await store.GetByHashAsync(key.KeyHash, None));
        Assert.False(await store.DeleteAsync(key.KeyHash, None));
    }

    [Fact]
    public async Task Keys_ListByTeamPaged_ReturnsTeamKeysInCreationOrder()
    {
        var store = new SqliteKeyStore(_db);
        foreach (var n in new[] { 5, 1, 9, 3, 7, 2, 8, 4, 6, 10 })
            Assert.True(await store.CreateAsync(Key(n, n <= 7 ? "t1" : "t2"), None));

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync("t1", 3, token, None);
            Assert.All(page.Keys, k => Assert.Equal("t1", k.TeamId));
            seen.AddRange(page.Keys.Select(k => k.KeyId));
            token = page.NextPageToken;
        } while (token is not null && ++pages < 10);

        Assert.Equal(Enumerable.Range(1, 7).Select(n => $"vk-{n:D4}"), seen);
        Assert.Equal(10, (await store.ListAsync(null, 100, null, None)).Keys.Count);
    }

    private static DailyRollup Rollup(DateOnly day, string dimension, string value, decimal cost) => new()
    {
        Day = day, Dimension = dimension, Value = value, Requests = 10, Successes = 9, Failures = 1, CacheHits = 2,
        PromptTokens = 2000, CompletionTokens = 300, CachedTokens = 1500, ReasoningTokens = 64, Cost = cost, SavedCost = cost / 4,
    };

    [Fact]
    public async Task Rollups_ReplaceDayTwice_SameRows()
    {
        var store = new SqliteRollupStore(_db);
        var day = new DateOnly(2026, 11, 24);
        DailyRollup[] rows = [Rollup(day, "team", "t1", 1.5m), Rollup(day, "team", "t2", 0.25m), Rollup(day, "model", "gpt-4o", 1.75m)];

        await store.ReplaceDayAsync(day, rows, None);
        var once = await store.QueryAsync(day, day, "team", None);
        await store.ReplaceDayAsync(day, rows, None);
        var twice = await store.QueryAsync(day, day, "team", None);

        Assert.Equal([rows[0], rows[1]], once);
        Assert.Equal(once, twice);
    }

    [Fact]
    public async Task Rollups_ReplaceDay_DropsRowsNoLongerPresent()
    {
        var store = new SqliteRollupStore(_db);
        var day = new DateOnly(2026, 11, 24);
        await store.ReplaceDayAsync(day, [Rollup(day, "team", "t1", 1m), Rollup(day, "team", "t2", 2m)], None);

        await store.ReplaceDayAsync(day, [Rollup(day, "team", "t2", 3m)], None);

        Assert.Equal([Rollup(day, "team", "t2", 3m)], await store.QueryAsync(day, day, "team", None));
    }

    [Fact]
    public async Task Rollups_QueryByDimensionAndRange_InclusiveBounds()
    {
        var store = new SqliteRollupStore(_db);
        var days = Enumerable.Range(20, 6).Select(d => new DateOnly(2026, 11, d)).ToList();
        foreach (var day in days)
            await store.ReplaceDayAsync(day, [Rollup(day, "team", "t1", 1m), Rollup(day, "model", "gpt-4o", 1m)], None);

        var rows = await store.QueryAsync(days[1], days[4], "team", None);

        Assert.Equal(days[1..5], rows.Select(r => r.Day));
        Assert.All(rows, r => Assert.Equal("team", r.Dimension));
    }

    [Fact]
    public async Task Rollups_DecimalCosts_RoundTripExactly()
    {
        var store = new SqliteRollupStore(_db);
        var day = new DateOnly(2026, 11, 24);
        var row = Rollup(day, "key", "vk-1", 0.000000123456789m) with { SavedCost = 79228162514264.337593543950335m };

        await store.ReplaceDayAsync(day, [row], None);
        var read = Assert.Single(await store.QueryAsync(day, day, "key", None));

        Assert.Equal(row, read);
        Assert.Equal("0.000000123456789", read.Cost.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
