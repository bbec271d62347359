using System.Text;
using System.Text.Json;
using Gateway.Core.Storage;
using Gateway.Testing.Hosting;
using static Gateway.Tests.Api.Reports.ReportFixtures;

namespace Gateway.Tests.Api.Rollups;

/// <summary>The Lambda rollup function: EventBridge's scheduled event (the sample in <c>events/</c>) arrives as
/// <c>POST /events</c>, only in the rollup role, and rolls the event's day and the two before it.</summary>
public sealed class RollupFunctionTests
{
    private static StringContent ScheduleEvent() =>
        new(File.ReadAllText(FixtureFile.RepoPath("events", "schedule.json")), Encoding.UTF8, "application/json");

    [Fact]
    public async Task ScheduledEvent_InTheRollupRole_RollsTheEventsDayAndTheTwoBefore()
    {
        await using var gateway = await TestGateway.StartAsync(Config(), new Dictionary<string, string> { ["GATEWAY_ROLE"] = "rollup" });
        var late = new DateTimeOffset(2026, 11, 22, 23, 59, 59, TimeSpan.Zero);
        await AppendAsync(gateway, Record("late", late, "t1", 0.4m), Record("early", late.AddDays(-1), "t1", 9m));
        using var response = await SendAsync(gateway, HttpMethod.Post, "/events", key: null, content: ScheduleEvent());
        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["2026-11-22", "2026-11-23", "2026-11-24"], doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("day").GetString()));
        var rollups = gateway.Service<IRollupStore>();
        Assert.Equal(0.4m, (await rollups.QueryAsync(new DateOnly(2026, 11, 22), new DateOnly(2026, 11, 22), "team", CancellationToken.None)).Single().Cost);
        Assert.Empty(await rollups.QueryAsync(new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 21), "team", CancellationToken.None));
        Assert.All(await rollups.RecentRunsAsync(10, CancellationToken.None), r => Assert.Equal("schedule", r.Trigger));
    }

    [Fact]
    public async Task RollupRole_ServesNoPublicRoute()
    {
        await using var gateway = await TestGateway.StartAsync(Config(), new Dictionary<string, string> { ["GATEWAY_ROLE"] = "rollup" });
        await ErrorAssertions.AssertEnvelopeAsync(await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt")), 404);
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Get, "/reports/daily"), 404);
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Post, "/admin/rollups/run"), 404);
        Assert.Equal(200, (int)(await SendAsync(gateway, HttpMethod.Get, "/health/liveliness", key: null)).StatusCode);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("api")]
    public async Task EventsRoute_DoesNotExistOnThePublicApi(string role)
    {
        await using var gateway = await TestGateway.StartAsync(Config(), new Dictionary<string, string> { ["GATEWAY_ROLE"] = role });
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Post, "/events", key: null, content: ScheduleEvent()), 404);
    }

    [Fact]
    public async Task ScheduledEvent_ThatIsNotOne_Is400()
    {
        await using var gateway = await TestGateway.StartAsync(Config(), new Dictionary<string, string> { ["GATEWAY_ROLE"] = "rollup" });
        var body = new StringContent("""{"detail-type":"Object Created","source":"aws.s3"}""", Encoding.UTF8, "application/json");
        await ErrorAssertions.AssertEnvelopeAsync(await SendAsync(gateway, HttpMethod.Post, "/events", key: null, content: body), 400, param: "detail-type");
    }

    [Fact]
    public async Task UnknownRole_StopsStartup_NamingTheVariable()
    {
        var e = await Assert.ThrowsAsync<Gateway.Core.Configuration.ConfigException>(() =>
            TestGateway.StartAsync(Config(), new Dictionary<string, string> { ["GATEWAY_ROLE"] = "worker" }));
        Assert.Contains("GATEWAY_ROLE", e.Message);
    }
}
