using System.Diagnostics;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using static Gateway.Tests.Core.Routing.RoutingTestBed;

namespace Gateway.Tests.Core.Routing;

public sealed class RequestRouterTests
{
    /// <summary>Cooldowns are covered in <see cref="CooldownTests"/>; here a deployment never cools down on plain failures.</summary>
    private static readonly RouterSettings Settings = new() { NumRetries = 2, AllowedFails = 1000 };

    private static Dictionary<string, IReadOnlyList<string>> Chain(string from, params string[] to) => new() { [from] = to };

    [Fact]
    public async Task ExecuteAsync_RetryableServerErrorThenSuccess_RetriesSameGroupAndAnswers()
    {
        var bed = new RoutingTestBed(Settings, null, Deployment("a", "g")).FailFirst("a", 1, Upstream.ServerError());
        var trace = new RouteTrace();

        var answer = await bed.RunAsync(new RouteRequest("g"), trace);

        Assert.StartsWith("a|", answer);
        Assert.Equal(2, bed.CallsTo("a"));
        Assert.Equal(2, trace.Attempts);
    }

    [Fact]
    public async Task ExecuteAsync_BothDeploymentsAlwaysFail_MakesExactlyOnePlusNumRetriesAttempts()
    {
        var bed = new RoutingTestBed(Settings, null, Deployment("a", "g"), Deployment("b", "g"))
            .Fail("a", Upstream.ServerError()).Fail("b", Upstream.ServerError());

        var error = await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync("g"));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal(1 + Settings.NumRetries, bed.Calls.Count);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1, 2)]
    public async Task ExecuteAsync_EveryGroupInChainFails_MakesOnePlusRetriesAttemptsPerGroupAndNoMore(int retries, int fallbackGroups)
    {
        var fallbacks = Enumerable.Range(1, fallbackGroups).Select(i => $"f{i}").ToArray();
        var deployments = new[] { "g" }.Concat(fallbacks).SelectMany(g => new[] { Deployment(g + "-1", g), Deployment(g + "-2", g) }).ToArray();
        var bed = new RoutingTestBed(Settings with { NumRetries = retries, Fallbacks = Chain("g", fallbacks) }, null, deployments);
        foreach (var d in deployments)
            bed.Fail(d.Id, Upstream.ServerError());
        var trace = new RouteTrace();

        await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync(new RouteRequest("g"), trace));

        Assert.Equal((1 + retries) * (1 + fallbackGroups), bed.Calls.Count);
        Assert.Equal(bed.Calls.Count, trace.Attempts);
        Assert.Equal(fallbacks, trace.Fallbacks);
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterFailure_TriesTheOtherDeploymentBeforeRepeatingOne()
    {
        var bed = new RoutingTestBed(Settings with { NumRetries = 1 }, null, Deployment("a", "g"), Deployment("b", "g"))
            .Fail("a", Upstream.ServerError()).Fail("b", Upstream.ServerError());

        for (var i = 0; i < 4; i++)
            await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync("g"));

        var perRequest = bed.Calls.Chunk(2).ToList();
        Assert.All(perRequest, pair => Assert.Equal(["a", "b"], pair.Order()));
    }

    [Fact]
    public async Task ExecuteAsync_InvalidRequest_IsNeitherRetriedNorFallenBack()
    {
        var bed = new RoutingTestBed(Settings with { Fallbacks = Chain("g", "f") }, null, Deployment("a", "g"), Deployment("fb", "f"))
            .Fail("a", Upstream.BadRequest());
        var trace = new RouteTrace();

        var error = await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync(new RouteRequest("g"), trace));

        Assert.Equal(ErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(1, bed.CallsTo("a"));
        Assert.Equal(0, bed.CallsTo("fb"));
        Assert.Empty(trace.Fallbacks);
    }

    [Fact]
    public async Task ExecuteAsync_RateLimitedWithShortRetryAfter_WaitsThenSucceedsOnSameDeployment()
    {
        // Regression (fixed): RequestRouter.AttemptAsync (line 116) cools the deployment down for exactly the Retry-After the retry then waits; the delay runs on the
        // coarse tick clock and often ends a few ms before the wall-clock cooldown, so the retry finds nothing available and returns the 429 (~40% per request).
        var wait = TimeSpan.FromMilliseconds(300);
        for (var request = 0; request < 8; request++)
        {
            var bed = new RoutingTestBed(Settings, TimeProvider.System, Deployment("a", "g")).FailFirst("a", 1, Upstream.RateLimited(wait));
            var clock = Stopwatch.StartNew();

            var answer = await bed.RunAsync("g");

            Assert.True(clock.Elapsed >= wait - TimeSpan.FromMilliseconds(5), $"answered after {clock.Elapsed}");
            Assert.StartsWith("a|", answer);
            Assert.Equal(2, bed.CallsTo("a"));
        }
    }

    [Fact]
    public async Task ExecuteAsync_RetryAfterBeyondMaxWait_FallsBackWithoutWaiting()
    {
        var bed = new RoutingTestBed(Settings with { Fallbacks = Chain("g", "f") }, null, Deployment("a", "g"), Deployment("fb", "f"))
            .Fail("a", Upstream.RateLimited(RequestRouter.MaxRetryAfterWait + TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();

        var answer = await bed.RunAsync("g");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"answered after {clock.Elapsed}");
        Assert.StartsWith("fb|", answer);
        Assert.Equal(1, bed.CallsTo("a"));
    }

    [Theory]
    [InlineData(0, 1, 2)]
    [InlineData(2, 0, 1)]
    public async Task ExecuteAsync_PerRequestNumRetries_OverridesConfigured(int configured, int perRequest, int expectedAttempts)
    {
        var bed = new RoutingTestBed(Settings with { NumRetries = configured }, null, Deployment("a", "g")).Fail("a", Upstream.ServerError());

        await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync(new RouteRequest("g") { NumRetries = perRequest }));

        Assert.Equal(expectedAttempts, bed.CallsTo("a"));
    }

    [Fact]
    public async Task ExecuteAsync_PerRequestFallbacks_ReplaceConfiguredChain()
    {
        var bed = new RoutingTestBed(Settings with { NumRetries = 0, Fallbacks = Chain("g", "configured") }, null,
            Deployment("a", "g"), Deployment("c", "configured"), Deployment("r", "requested")).Fail("a", Upstream.ServerError());

        var answer = await bed.RunAsync(new RouteRequest("g") { Fallbacks = ["requested"] });

        Assert.StartsWith("r|", answer);
        Assert.Equal(0, bed.CallsTo("c"));
    }

    [Fact]
    public async Task ExecuteAsync_GroupWithoutFallbacks_UsesDefaultFallbacks()
    {
        var bed = new RoutingTestBed(Settings with { NumRetries = 0, Fallbacks = Chain("other", "d"), DefaultFallbacks = ["d"] }, null,
            Deployment("a", "g"), Deployment("o", "other"), Deployment("dd", "d")).Fail("a", Upstream.ServerError());

        Assert.StartsWith("dd|", await bed.RunAsync("g"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ExecuteAsync_ContextWindowOrContentPolicyError_TakesItsOwnChainNotGeneralFallbacks(bool contextWindow)
    {
        var settings = Settings with
        {
            Fallbacks = Chain("g", "general"),
            ContextWindowFallbacks = Chain("g", "big"),
            ContentPolicyFallbacks = Chain("g", "lenient"),
        };
        var bed = new RoutingTestBed(settings, null, Deployment("a", "g"), Deployment("gen", "general"), Deployment("b", "big"), Deployment("l", "lenient"))
            .Fail("a", contextWindow ? Upstream.ContextWindow() : Upstream.ContentPolicy());

        var answer = await bed.RunAsync("g");

        Assert.StartsWith(contextWindow ? "b|" : "l|", answer);
        Assert.Equal(1, bed.CallsTo("a"));
        Assert.Equal(0, bed.CallsTo("gen"));
    }

    [Fact]
    public async Task ExecuteAsync_PromptExceedsSmallDeploymentWindow_SkipsItUncalledForContextWindowFallback()
    {
        var bed = new RoutingTestBed(Settings with { Fallbacks = Chain("small", "general"), ContextWindowFallbacks = Chain("small", "large") }, null,
            Deployment("s", "small"), Deployment("gen", "general"), Deployment("l", "large"));
        var trace = new RouteTrace();

        var answer = await bed.RunAsync(new RouteRequest("small") { ExceedsContextWindow = d => d.Id == "s" }, trace);

        Assert.StartsWith("l|", answer);
        Assert.Equal(["l"], bed.Calls);
        Assert.Equal(["large"], trace.Fallbacks);
    }

    [Fact]
    public async Task ExecuteAsync_PromptExceedsOneDeploymentOfGroup_AnswersFromTheDeploymentItFits()
    {
        // Regression (fixed): RequestRouter.RunGroupAsync (line 80) throws ContextWindowExceeded for the picked deployment instead of excluding it, so a group mixing window sizes fails at random.
        var bed = new RoutingTestBed(Settings, null, Deployment("s", "g"), Deployment("l", "g"));

        for (var i = 0; i < 20; i++)
            Assert.StartsWith("l|", await bed.RunAsync(new RouteRequest("g") { ExceedsContextWindow = d => d.Id == "s" }));

        Assert.Equal(0, bed.CallsTo("s"));
    }

    [Fact]
    public async Task ExecuteAsync_MockTestingFallbacks_FailsPrimaryUncalledAndFallbackAnswers()
    {
        var bed = new RoutingTestBed(Settings with { Fallbacks = Chain("g", "f") }, null, Deployment("a", "g"), Deployment("fb", "f"));
        var trace = new RouteTrace();

        var answer = await bed.RunAsync(new RouteRequest("g") { MockTestingFallbacks = true }, trace);

        Assert.StartsWith("fb|", answer);
        Assert.Equal(0, bed.CallsTo("a"));
        Assert.Equal(["f"], trace.Fallbacks);
    }

    [Fact]
    public async Task ExecuteAsync_ChainOfTwoFallbacks_TraceRecordsAttemptsFallbacksInOrderAndAnsweringDeployment()
    {
        var bed = new RoutingTestBed(Settings with { NumRetries = 0, Fallbacks = Chain("g", "f1", "f2") }, null,
                Deployment("a", "g"), Deployment("x", "f1"), Deployment("y", "f2"))
            .Fail("a", Upstream.ServerError()).Fail("x", Upstream.Timeout());
        var trace = new RouteTrace();

        await bed.RunAsync(new RouteRequest("g"), trace);

        Assert.Equal(3, trace.Attempts);
        Assert.Equal(["f1", "f2"], trace.Fallbacks);
        Assert.Equal("y", trace.Deployment?.Id);
    }

    [Theory]
    [InlineData(ErrorKind.RateLimited, 1)]
    [InlineData(ErrorKind.UpstreamError, 2)]
    [InlineData(ErrorKind.UpstreamTimeout, 3)]
    public async Task ExecuteAsync_RetryPolicyForKind_OverridesNumRetries(ErrorKind kind, int expectedAttempts)
    {
        var settings = Settings with
        {
            NumRetries = 1,
            RetryPolicy = new Dictionary<ErrorKind, int> { [ErrorKind.RateLimited] = 0, [ErrorKind.UpstreamTimeout] = 2 },
        };
        var error = kind switch { ErrorKind.RateLimited => Upstream.RateLimited(), ErrorKind.UpstreamTimeout => Upstream.Timeout(), _ => Upstream.ServerError() };
        var bed = new RoutingTestBed(settings, null, Deployment("a", "g"), Deployment("b", "g")).Fail("a", error).Fail("b", error);

        await Assert.ThrowsAsync<GatewayError>(() => bed.RunAsync("g"));

        Assert.Equal(expectedAttempts, bed.Calls.Count);
    }

    [Theory]
    [InlineData(7.0, 3.0, 2.0, 7.0)]
    [InlineData(null, 3.0, 2.0, 3.0)]
    [InlineData(null, null, 2.0, 2.0)]
    [InlineData(null, null, null, 600.0)]
    public async Task ExecuteAsync_AttemptTimeout_PrefersRequestThenDeploymentThenSettings(double? request, double? deployment, double? configured, double expected)
    {
        static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;
        var bed = new RoutingTestBed(Settings with { Timeout = Seconds(configured) }, null, Deployment("a", "g", timeout: Seconds(deployment)));

        var answer = await bed.RunAsync(new RouteRequest("g") { Timeout = Seconds(request) });

        Assert.Equal($"a|{expected}", answer);
    }
}
