using Gateway.Core.Storage;
using Gateway.Core.Usage;

namespace Gateway.Core.Rollups;

/// <summary>
/// Sums one day's usage records by dimension value in memory. Not thread-safe by design: each slice of the day gets its
/// own aggregator (no locks on the hot loop) and the slices are merged once at the end. Memory is bounded by the number of
/// distinct dimension values, never by the number of records.
/// </summary>
public sealed class DailyAggregator(DateOnly day)
{
    private readonly Dictionary<(string Dimension, string Value), Totals> _totals = [];

    public DateOnly Day { get; } = day;
    public long RecordsRead { get; private set; }

    public void Add(UsageRecord record)
    {
        RecordsRead++;
        RollupDimensions.ForEachValue(record, (dimension, value) => TotalsFor(dimension, value).Add(record));
    }

    public void Merge(DailyAggregator other)
    {
        RecordsRead += other.RecordsRead;
        foreach (var (key, totals) in other._totals)
            TotalsFor(key.Dimension, key.Value).Add(totals);
    }

    /// <summary>The rows to store, ordered by dimension then value so a re-run writes them identically.</summary>
    public IReadOnlyList<DailyRollup> ToRows() =>
        _totals.OrderBy(t => t.Key.Dimension, StringComparer.Ordinal).ThenBy(t => t.Key.Value, StringComparer.Ordinal)
            .Select(t => t.Value.ToRow(Day, t.Key.Dimension, t.Key.Value)).ToList();

    private Totals TotalsFor(string dimension, string value)
    {
        if (!_totals.TryGetValue((dimension, value), out var totals))
            _totals[(dimension, value)] = totals = new Totals();
        return totals;
    }

    private sealed class Totals
    {
        private long _requests, _successes, _failures, _cacheHits, _prompt, _completion, _cached, _reasoning;
        private decimal _cost, _saved;

        public void Add(UsageRecord r)
        {
            _requests++;
            if (r.Status == "success") _successes++; else _failures++;
            if (r.CacheStatus == "hit") _cacheHits++;
            _prompt += r.PromptTokens;
            _completion += r.CompletionTokens;
            _cached += r.CachedReadTokens;
            _reasoning += r.ReasoningTokens;
            _cost += r.Cost ?? 0m;
            _saved += r.SavedCost;
        }

        public void Add(Totals o)
        {
            _requests += o._requests;
            _successes += o._successes;
            _failures += o._failures;
            _cacheHits += o._cacheHits;
            _prompt += o._prompt;
            _completion += o._completion;
            _cached += o._cached;
            _reasoning += o._reasoning;
            _cost += o._cost;
            _saved += o._saved;
        }

        public DailyRollup ToRow(DateOnly day, string dimension, string value) => new()
        {
            Day = day, Dimension = dimension, Value = value, Requests = _requests, Successes = _successes, Failures = _failures,
            CacheHits = _cacheHits, PromptTokens = _prompt, CompletionTokens = _completion, CachedTokens = _cached,
            ReasoningTokens = _reasoning, Cost = _cost, SavedCost = _saved,
        };
    }
}
