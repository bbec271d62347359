using System.Text.Json;
using Gateway.Api.Observability;
using Gateway.Core.Usage;

namespace Gateway.Tests.Serverless;

/// <summary>The per-request metrics line follows CloudWatch's Embedded Metric Format: every declared metric and
/// dimension is a top-level member of the right type, and nothing identifying (keys, prompts, request ids) is in it.</summary>
public sealed class EmbeddedMetricsTests
{
    private static readonly UsageRecord Record = new()
    {
        RequestId = "req_secret_id", Timestamp = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), KeyId = "abc123", RequestedModel = "claude",
        ModelGroup = "claude", Provider = "bedrock", Status = "success", HttpStatus = 200, PromptTokens = 120, CompletionTokens = 30,
        LatencyMs = 812.4567, TimeToFirstTokenMs = 210.5, Cost = 0.00123m, CacheStatus = "miss",
    };

    [Fact]
    public void Line_IsValidEmf_WithEveryDeclaredMetricAndDimension()
    {
        using var doc = JsonDocument.Parse(EmbeddedMetrics.Line(Record));
        var root = doc.RootElement;
        var directive = root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];

        Assert.Equal("LlmGateway", directive.GetProperty("Namespace").GetString());
        Assert.Equal(Record.Timestamp.ToUnixTimeMilliseconds(), root.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        foreach (var metric in directive.GetProperty("Metrics").EnumerateArray())
            Assert.Equal(JsonValueKind.Number, root.GetProperty(metric.GetProperty("Name").GetString()!).ValueKind);
        foreach (var set in directive.GetProperty("Dimensions").EnumerateArray())
            foreach (var dimension in set.EnumerateArray())
                Assert.Equal(JsonValueKind.String, root.GetProperty(dimension.GetString()!).ValueKind);
        Assert.Equal((0.00123m, 1, 0), (root.GetProperty("CostUsd").GetDecimal(), root.GetProperty("Requests").GetInt32(), root.GetProperty("Errors").GetInt32()));
        Assert.DoesNotContain("req_secret_id", doc.RootElement.GetRawText());
        Assert.DoesNotContain("abc123", doc.RootElement.GetRawText());
    }

    [Fact]
    public void Line_WithoutTimeToFirstToken_DoesNotDeclareIt()
    {
        using var doc = JsonDocument.Parse(EmbeddedMetrics.Line(Record with { TimeToFirstTokenMs = null, Status = "failure", Cost = null }));
        var names = doc.RootElement.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Name").GetString()).ToList();

        Assert.DoesNotContain("TimeToFirstTokenMs", names);
        Assert.Equal(1, doc.RootElement.GetProperty("Errors").GetInt32());
    }

    [Fact]
    public void Writer_WritesOneLinePerRecord_OnlyWhenEnabled()
    {
        var on = new StringWriter();
        var off = new StringWriter();
        new EmbeddedMetrics(true, on).Write(Record);
        new EmbeddedMetrics(false, off).Write(Record);

        Assert.Single(on.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(off.ToString());
    }
}
