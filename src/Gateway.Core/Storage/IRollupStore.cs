namespace Gateway.Core.Storage;

/// <summary>One day's totals for one value of one dimension (e.g. team = t1 on 2026-11-24).</summary>
public sealed record DailyRollup
{
    public required DateOnly Day { get; init; }
    /// <summary>One of <see cref="Gateway.Core.Rollups.RollupDimensions.All"/>: <c>total</c>, <c>team</c>, <c>key</c>, <c>user</c>,
    /// <c>model</c> (the model group), <c>provider_model</c>, <c>provider</c>, <c>region</c>, <c>tag</c>.</summary>
    public required string Dimension { get; init; }
    public required string Value { get; init; }
    public long Requests { get; init; }
    public long Successes { get; init; }
    public long Failures { get; init; }
    public long CacheHits { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public long CachedTokens { get; init; }
    public long ReasoningTokens { get; init; }
    public decimal Cost { get; init; }
    public decimal SavedCost { get; init; }
}

/// <summary>Daily rollups. Writing a day replaces that day wholesale, so re-running a rollup is idempotent.</summary>
public interface IRollupStore
{
    Task ReplaceDayAsync(DateOnly day, IReadOnlyList<DailyRollup> rows, CancellationToken cancellationToken);
    Task<IReadOnlyList<DailyRollup>> QueryAsync(DateOnly from, DateOnly to, string dimension, CancellationToken cancellationToken);

    /// <summary>Keeps a record of one rollup run (kept 90 days), so operators can see what ran, how long it took and what failed.</summary>
    Task RecordRunAsync(RollupRun run, CancellationToken cancellationToken);

    /// <summary>The most recent runs, newest first.</summary>
    Task<IReadOnlyList<RollupRun>> RecentRunsAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>One day rolled up once: by what trigger, how many usage records it read, how long it took, and whether it worked.</summary>
public sealed record RollupRun
{
    public required DateOnly Day { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    /// <summary><c>schedule</c> (EventBridge or the local timer) or <c>manual</c> (<c>POST /admin/rollups/run</c>).</summary>
    public required string Trigger { get; init; }
    public long RecordsRead { get; init; }
    public int Rows { get; init; }
    public double DurationMs { get; init; }
    /// <summary><c>ok</c> or <c>failed</c>.</summary>
    public required string Outcome { get; init; }
    /// <summary>The failure's type and message (never record contents).</summary>
    public string? Error { get; init; }
}
