namespace Gateway.Core.Storage;

/// <summary>One day's totals for one value of one dimension (e.g. team = t1 on 2026-11-24).</summary>
public sealed record DailyRollup
{
    public required DateOnly Day { get; init; }
    /// <summary><c>team</c>, <c>key</c>, <c>user</c>, <c>model</c>, <c>deployment</c>, <c>provider</c>, <c>region</c>, <c>tag</c>.</summary>
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
}
