using System.Text.Json;
using Gateway.Core.Storage;

namespace Gateway.Api.Reports;

/// <summary>Writes rollup rows as JSON objects or CSV lines with the same column names, so both formats read alike.</summary>
internal static class RollupRows
{
    private static readonly string[] MeasureColumns =
        ["requests", "successes", "failures", "cache_hits", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens", "cost_usd", "saved_cost_usd"];

    /// <summary><paramref name="period"/> is the first column's name (<c>date</c> or <c>month</c>).</summary>
    public static void WriteJson(Utf8JsonWriter w, DailyRollup r, string period, string periodValue)
    {
        w.WriteStartObject();
        w.WriteString(period, periodValue);
        w.WriteString(r.Dimension, r.Value);
        WriteMeasures(w, r);
        w.WriteEndObject();
    }

    public static void WriteMeasures(Utf8JsonWriter w, DailyRollup r)
    {
        w.WriteNumber("requests", r.Requests);
        w.WriteNumber("successes", r.Successes);
        w.WriteNumber("failures", r.Failures);
        w.WriteNumber("cache_hits", r.CacheHits);
        w.WriteNumber("prompt_tokens", r.PromptTokens);
        w.WriteNumber("completion_tokens", r.CompletionTokens);
        w.WriteNumber("cached_tokens", r.CachedTokens);
        w.WriteNumber("reasoning_tokens", r.ReasoningTokens);
        w.WriteNumber("cost_usd", r.Cost);
        w.WriteNumber("saved_cost_usd", r.SavedCost);
    }

    public static CsvText CsvHeader(string period, string dimension) => new CsvText().Row([period, dimension, .. MeasureColumns]);

    public static void CsvRow(CsvText csv, DailyRollup r, string periodValue) => csv.Row(
        periodValue, r.Value, CsvText.Number(r.Requests), CsvText.Number(r.Successes), CsvText.Number(r.Failures), CsvText.Number(r.CacheHits),
        CsvText.Number(r.PromptTokens), CsvText.Number(r.CompletionTokens), CsvText.Number(r.CachedTokens), CsvText.Number(r.ReasoningTokens),
        CsvText.Money(r.Cost), CsvText.Money(r.SavedCost));
}
