using Gateway.Core.Rollups;
using Gateway.Core.Usage;

namespace Gateway.Tests.Core.Rollups;

public sealed class DailyAggregatorTests
{
    private static readonly DateOnly Day = new(2026, 11, 23);

    private static UsageRecord Record(string id, string? team, decimal? cost, params string[] tags) => new()
    {
        RequestId = id, Timestamp = DateTimeOffset.UnixEpoch, KeyId = "k", TeamId = team, RequestedModel = "m", Status = "success", HttpStatus = 200,
        Cost = cost, Tags = tags, PromptTokens = 10, ReasoningTokens = 2,
    };

    [Fact]
    public void MergedSlices_EqualOneAggregatorOverAllRecords()
    {
        var records = Enumerable.Range(0, 50).Select(i => Record($"r{i}", i % 3 == 0 ? null : $"t{i % 4}", i * 0.001m, i % 2 == 0 ? ["a"] : [])).ToList();
        var whole = new DailyAggregator(Day);
        records.ForEach(whole.Add);
        var merged = new DailyAggregator(Day);
        foreach (var slice in records.Chunk(7))
        {
            var part = new DailyAggregator(Day);
            foreach (var r in slice)
                part.Add(r);
            merged.Merge(part);
        }
        Assert.Equal(whole.ToRows(), merged.ToRows());
        Assert.Equal(50, merged.RecordsRead);
    }

    [Fact]
    public void Rows_UnpricedCountsZero_MissingValuesAreNone_EveryTagCounts()
    {
        var aggregate = new DailyAggregator(Day);
        aggregate.Add(Record("a", null, null, "x", "y"));
        aggregate.Add(Record("b", "t1", 0.5m));
        var rows = aggregate.ToRows();
        Assert.Equal((2L, 0.5m, 4L), rows.Where(r => r.Dimension == "total").Select(r => (r.Requests, r.Cost, r.ReasoningTokens)).Single());
        Assert.Equal(["(none)", "t1"], rows.Where(r => r.Dimension == "team").Select(r => r.Value));
        Assert.Equal(["(none)", "x", "y"], rows.Where(r => r.Dimension == "tag").Select(r => r.Value));
        Assert.Equal(RollupDimensions.All.Order(StringComparer.Ordinal), rows.Select(r => r.Dimension).Distinct());
    }
}
