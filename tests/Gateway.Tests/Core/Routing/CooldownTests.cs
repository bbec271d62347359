using Gateway.Core.Errors;
using Gateway.Core.Routing;
using static Gateway.Tests.Core.Routing.RoutingTestBed;

namespace Gateway.Tests.Core.Routing;

/// <summary>Failures reach the deployment's cooldown through the router; the manual clock decides when it ends.
/// No retries here, so every request is one attempt and no real time passes.</summary>
public sealed class CooldownTests
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(10);
    private static readonly RouterSettings Settings = new() { NumRetries = 0, AllowedFails = 1, CooldownTime = Cooldown };

    private readonly ManualClock _clock = new();

    /// <summary>Primary "a" (order 1) is chosen whenever it is available; "b" (order 2) only when it is not.</summary>
    private RoutingTestBed PrimaryAndBackup(GatewayError primaryError, RouterSettings? settings = null) =>
        new RoutingTestBed(settings ?? Settings, _clock, Deployment("a", "g", order: 1), Deployment("b", "g", order: 2)).Fail("a", primaryError);

    private static async Task FailTimes(RoutingTestBed bed, int times)
    {
        for (var i = 0; i < times; i++)
            await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync("g"));
    }

    [Fact]
    public async Task ExecuteAsync_FailuresBeyondAllowedFails_CoolsDeploymentDownAndPickerAvoidsIt()
    {
        var bed = PrimaryAndBackup(Upstream.ServerError());

        await FailTimes(bed, 1);
        Assert.False(bed.Health("a").IsCoolingDown);
        await FailTimes(bed, 1);

        Assert.True(bed.Health("a").IsCoolingDown);
        Assert.Equal(_clock.GetUtcNow() + Cooldown, bed.Health("a").CooldownUntil);
        var group = bed.Registry.Deployments;
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal("b", bed.Picker.Pick(group, null, 0)?.Deployment.Id));
        Assert.StartsWith("b|", await bed.RunAsync("g"));
        Assert.Equal(2, bed.CallsTo("a"));
        Assert.Equal(0, bed.Health("a").InFlight);
    }

    [Fact]
    public async Task ExecuteAsync_OnlyDeploymentCoolingDown_Returns503NoDeploymentAvailableAllowingFallback()
    {
        var bed = new RoutingTestBed(Settings, _clock, Deployment("a", "g")).Fail("a", Upstream.ServerError());
        await FailTimes(bed, 2);

        var error = await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync("g"));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("no_deployment_available", error.Code);
        Assert.True(error.AllowsFallback);
        Assert.Equal(2, bed.CallsTo("a"));
    }

    [Fact]
    public async Task ExecuteAsync_OnlyDeploymentCoolingDown_RetryAfterIsTheRemainingCooldown()
    {
        // Regression (fixed): RequestRouter.NoneAvailable (line 157) measures against DateTimeOffset.UtcNow, not the picker's TimeProvider, so any injected clock skews Retry-After.
        var bed = new RoutingTestBed(Settings, _clock, Deployment("a", "g")).Fail("a", Upstream.ServerError());
        await FailTimes(bed, 2);
        _clock.Advance(TimeSpan.FromSeconds(4));

        var error = await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync("g"));

        Assert.Equal(TimeSpan.FromSeconds(6), error.RetryAfter);
    }

    [Fact]
    public async Task ExecuteAsync_OnlyDeploymentCoolingDown_FallsBackWithoutCallingIt()
    {
        var settings = Settings with { Fallbacks = new Dictionary<string, IReadOnlyList<string>> { ["g"] = ["f"] } };
        var bed = new RoutingTestBed(settings, _clock, Deployment("a", "g"), Deployment("fb", "f")).Fail("a", Upstream.ServerError());
        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync(new RouteRequest("g") { Fallbacks = [] }));

        Assert.StartsWith("fb|", await bed.RunAsync("g"));
        Assert.Equal(2, bed.CallsTo("a"));
    }

    [Fact]
    public async Task ExecuteAsync_ClockPassesCooldown_DeploymentIsPickedAgain()
    {
        var bed = PrimaryAndBackup(Upstream.ServerError());
        bed.FailFirst("a", 2, Upstream.ServerError());
        await FailTimes(bed, 2);

        _clock.Advance(Cooldown - TimeSpan.FromMilliseconds(1));
        Assert.StartsWith("b|", await bed.RunAsync("g"));
        _clock.Advance(TimeSpan.FromMilliseconds(2));

        Assert.False(bed.Health("a").IsCoolingDown);
        Assert.StartsWith("a|", await bed.RunAsync("g"));
    }

    [Theory]
    [InlineData(ErrorKind.RateLimited, 429, true)]
    [InlineData(ErrorKind.UpstreamAuthentication, 401, true)]
    [InlineData(ErrorKind.NotFound, 404, true)]
    [InlineData(ErrorKind.UpstreamError, 500, false)]
    [InlineData(ErrorKind.UpstreamTimeout, 504, false)]
    public async Task ExecuteAsync_SingleFailureOfKind_CoolsDownAtOnceOnlyForRateLimitAuthAndNotFound(ErrorKind kind, int status, bool expected)
    {
        var bed = PrimaryAndBackup(Upstream.Of(kind, status), Settings with { AllowedFails = 3 });

        await FailTimes(bed, 1);

        Assert.Equal(expected, bed.Health("a").IsCoolingDown);
    }

    [Fact]
    public async Task ExecuteAsync_RateLimitedWithRetryAfter_CoolsDownForRetryAfterLessTheTimerMargin()
    {
        var retryAfter = TimeSpan.FromSeconds(45);
        var bed = PrimaryAndBackup(Upstream.RateLimited(retryAfter));

        await FailTimes(bed, 1);

        // 50 ms short of the Retry-After, so the retry that waits the full Retry-After never lands inside the cooldown.
        Assert.Equal(_clock.GetUtcNow() + retryAfter - TimeSpan.FromMilliseconds(50), bed.Health("a").CooldownUntil);
    }

    [Theory]
    [InlineData(59, true)]
    [InlineData(61, false)]
    public async Task ExecuteAsync_FailuresSpreadOverTime_OnlyThoseWithinAMinuteCount(int secondsApart, bool expected)
    {
        var bed = PrimaryAndBackup(Upstream.ServerError());

        await FailTimes(bed, 1);
        _clock.Advance(TimeSpan.FromSeconds(secondsApart));
        await FailTimes(bed, 1);

        Assert.Equal(expected, bed.Health("a").IsCoolingDown);
    }

    [Theory]
    [InlineData(ErrorKind.ContextWindowExceeded)]
    [InlineData(ErrorKind.ContentPolicy)]
    [InlineData(ErrorKind.InvalidRequest)]
    public async Task ExecuteAsync_PromptSpecificErrors_NeverCountAsDeploymentFailures(ErrorKind kind)
    {
        var error = kind switch
        {
            ErrorKind.ContextWindowExceeded => Upstream.ContextWindow(),
            ErrorKind.ContentPolicy => Upstream.ContentPolicy(),
            _ => Upstream.BadRequest(),
        };
        var bed = PrimaryAndBackup(error);

        await FailTimes(bed, 5);

        Assert.False(bed.Health("a").IsCoolingDown);
        Assert.Equal(0, bed.Health("a").ErrorRate);
        Assert.Equal(0, bed.Health("a").InFlight);
        Assert.Equal(5, bed.CallsTo("a"));
    }
}
