using System.Diagnostics;
using Gateway.Core.Storage;

namespace Gateway.Core.Rollups;

/// <summary>
/// Rolls usage records up into daily rollups. A day is read slice by slice in parallel (DynamoDB's 16 shard partitions,
/// SQLite's hour blocks), each slice aggregated on its own and merged, then written with <see cref="IRollupStore.ReplaceDayAsync"/>,
/// which replaces the day whole: running a day twice gives the same rows. Every day rolled leaves a <see cref="RollupRun"/>.
/// </summary>
/// <param name="maxParallelSlices">How many slices are read at once; default all of them. Lower it only for a store
/// stand-in that serialises requests (moto), where parallel reads just queue.</param>
public sealed class RollupJob(IUsageStore usage, IRollupStore rollups, TimeProvider time, int? maxParallelSlices = null)
{
    /// <summary>Days rolled by each scheduled run besides today: late records (a stream that crossed midnight, a retried
    /// write) land in a day that is re-rolled twice more.</summary>
    public const int LateDays = 2;

    /// <summary>The days a scheduled run rolls: the two previous days again, and today so far.</summary>
    public static (DateOnly From, DateOnly To) ScheduledRange(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return (today.AddDays(-LateDays), today);
    }

    /// <summary>Rolls every day from <paramref name="from"/> to <paramref name="to"/> (inclusive), oldest first. A failed
    /// day is recorded as failed and the rest still run.</summary>
    public async Task<IReadOnlyList<RollupRun>> RunAsync(DateOnly from, DateOnly to, string trigger, CancellationToken cancellationToken)
    {
        var runs = new List<RollupRun>();
        for (var day = from; day <= to; day = day.AddDays(1))
            runs.Add(await RunDayAsync(day, trigger, cancellationToken).ConfigureAwait(false));
        return runs;
    }

    public async Task<RollupRun> RunDayAsync(DateOnly day, string trigger, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        RollupRun run;
        try
        {
            var aggregate = await AggregateDayAsync(day, cancellationToken).ConfigureAwait(false);
            var rows = aggregate.ToRows();
            await rollups.ReplaceDayAsync(day, rows, cancellationToken).ConfigureAwait(false);
            run = new RollupRun
            {
                Day = day, StartedAt = started, Trigger = trigger, RecordsRead = aggregate.RecordsRead, Rows = rows.Count,
                DurationMs = clock.Elapsed.TotalMilliseconds, Outcome = "ok",
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            run = new RollupRun
            {
                Day = day, StartedAt = started, Trigger = trigger, DurationMs = clock.Elapsed.TotalMilliseconds, Outcome = "failed",
                Error = $"{e.GetType().Name}: {e.Message}",
            };
        }
        try
        {
            await rollups.RecordRunAsync(run, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The rollup itself stands; only its history line is missing, and the caller still gets (and logs) the run.
            run = run with { Error = (run.Error is null ? "" : run.Error + "; ") + $"run record not stored: {e.GetType().Name}: {e.Message}" };
        }
        return run;
    }

    /// <summary>Reads every slice of the day in parallel, one aggregator per slice, merged at the end. The first slice
    /// that fails cancels the others: a day is written whole or not at all.</summary>
    public async Task<DailyAggregator> AggregateDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var slices = new DailyAggregator[usage.DaySlices];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelSlices ?? slices.Length, CancellationToken = cancellationToken };
        // Parallel.ForEachAsync stops the other slices as soon as one throws, and rethrows that failure.
        await Parallel.ForEachAsync(Enumerable.Range(0, slices.Length), options, async (slice, ct) =>
        {
            var aggregator = new DailyAggregator(day);
            await foreach (var page in usage.ReadDaySliceAsync(day, slice, ct).ConfigureAwait(false))
                foreach (var record in page)
                    aggregator.Add(record);
            slices[slice] = aggregator;
        }).ConfigureAwait(false);
        var total = new DailyAggregator(day);
        foreach (var slice in slices)
            total.Merge(slice);
        return total;
    }
}
