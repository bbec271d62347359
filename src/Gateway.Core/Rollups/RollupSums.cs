using Gateway.Core.Storage;

namespace Gateway.Core.Rollups;

/// <summary>Adds rollup rows together (a month from its days, a report's total line).</summary>
public static class RollupSums
{
    public static DailyRollup Sum(IEnumerable<DailyRollup> rows, DateOnly day, string dimension, string value)
    {
        long requests = 0, successes = 0, failures = 0, hits = 0, prompt = 0, completion = 0, cached = 0, reasoning = 0;
        decimal cost = 0, saved = 0;
        foreach (var r in rows)
        {
            requests += r.Requests;
            successes += r.Successes;
            failures += r.Failures;
            hits += r.CacheHits;
            prompt += r.PromptTokens;
            completion += r.CompletionTokens;
            cached += r.CachedTokens;
            reasoning += r.ReasoningTokens;
            cost += r.Cost;
            saved += r.SavedCost;
        }
        return new DailyRollup
        {
            Day = day, Dimension = dimension, Value = value, Requests = requests, Successes = successes, Failures = failures, CacheHits = hits,
            PromptTokens = prompt, CompletionTokens = completion, CachedTokens = cached, ReasoningTokens = reasoning, Cost = cost, SavedCost = saved,
        };
    }
}
