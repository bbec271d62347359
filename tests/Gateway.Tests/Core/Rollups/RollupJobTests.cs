using System.Runtime.CompilerServices;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Gateway.Storage.Sqlite;
using Gateway.Tests.Storage.Contract;

namespace Gateway.Tests.Core.Rollups;

public sealed class RollupJobTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rollupjob-" + Guid.NewGuid().ToString("N"));
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task RunDay_WhenOneSliceFails_RecordsTheDayFailed_AndKeepsTheDaysPreviousRows()
    {
        var stores = SqliteStores.Open(_dir, _clock);
        var kept = new DailyRollup { Day = Day, Dimension = "total", Value = "all", Requests = 7, Cost = 1m };
        await stores.Rollups.ReplaceDayAsync(Day, [kept], CancellationToken.None);
        var job = new RollupJob(new BrokenSliceStore(stores.Usage), stores.Rollups, _clock);
        var run = await job.RunDayAsync(Day, "schedule", CancellationToken.None);
        Assert.Equal("failed", run.Outcome);
        Assert.Contains("IOException: shard 1 unreadable", run.Error);
        Assert.Equal([kept], await stores.Rollups.QueryAsync(Day, Day, "total", CancellationToken.None));
        Assert.Equal("failed", (await stores.Rollups.RecentRunsAsync(1, CancellationToken.None)).Single().Outcome);
        await stores.Owner.DisposeAsync();
    }

    [Theory]
    [InlineData("2026-11-24T00:05:00Z", "2026-11-22", "2026-11-24")]
    [InlineData("2026-03-01T23:59:59Z", "2026-02-27", "2026-03-01")]
    public void ScheduledRange_IsTodayAndTheTwoDaysBefore_InUtc(string now, string from, string to)
    {
        var (f, t) = RollupJob.ScheduledRange(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)), (f, t));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private sealed class BrokenSliceStore(IUsageStore inner) : IUsageStore
    {
        public Task AppendAsync(UsageRecord record, CancellationToken cancellationToken) => inner.AppendAsync(record, cancellationToken);
        public Task<UsagePage> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? keyId, int limit, string? pageToken, CancellationToken cancellationToken) =>
            inner.QueryAsync(from, to, keyId, limit, pageToken, cancellationToken);
        public int DaySlices => 4;

        public async IAsyncEnumerable<IReadOnlyList<UsageRecord>> ReadDaySliceAsync(DateOnly day, int slice, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (slice == 1)
                throw new IOException("shard 1 unreadable");
            yield return [];
        }
    }
}
