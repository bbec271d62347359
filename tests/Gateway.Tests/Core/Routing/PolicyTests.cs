using Gateway.Core.Routing;
using Gateway.Core.Routing.Policies;
using static Gateway.Tests.Core.Routing.RoutingTestBed;

namespace Gateway.Tests.Core.Routing;

public sealed class PolicyTests
{
    private readonly ManualClock _clock = new();

    private DeploymentHealth[] Healths(params Deployment[] deployments) =>
        deployments.Select(d => new DeploymentHealth(d, _clock)).ToArray();

    private static Dictionary<string, double> Shares(IRoutingPolicy policy, IReadOnlyList<DeploymentHealth> candidates, int draws)
    {
        var counts = candidates.ToDictionary(c => c.Deployment.Id, _ => 0);
        for (var i = 0; i < draws; i++)
            counts[policy.Choose(candidates).Deployment.Id]++;
        return counts.ToDictionary(c => c.Key, c => (double)c.Value / draws);
    }

    private static void Measured(DeploymentHealth health, double latencyMs, double? ttftMs = null) =>
        health.Succeeded(TimeSpan.FromMilliseconds(latencyMs), ttftMs is { } t ? TimeSpan.FromMilliseconds(t) : null);

    public static TheoryData<Deployment[], double[]> ShuffleCases => new()
    {
        { [Deployment("a", "g", weight: 1), Deployment("b", "g", weight: 3)], [0.25, 0.75] },
        { [Deployment("a", "g", rpm: 100), Deployment("b", "g", rpm: 300)], [0.25, 0.75] },
        { [Deployment("a", "g", tpm: 3000), Deployment("b", "g", tpm: 1000)], [0.75, 0.25] },
        { [Deployment("a", "g", weight: 1, rpm: 300), Deployment("b", "g", weight: 3, rpm: 100)], [0.25, 0.75] },
        { [Deployment("a", "g"), Deployment("b", "g"), Deployment("c", "g")], [1 / 3.0, 1 / 3.0, 1 / 3.0] },
    };

    [Theory]
    [MemberData(nameof(ShuffleCases))]
    public void SimpleShuffle_20000Draws_SharesFollowWeightThenRpmThenTpmElseUniform(Deployment[] deployments, double[] expected)
    {
        var shares = Shares(new SimpleShufflePolicy(new Random(42)), Healths(deployments), 20_000);

        for (var i = 0; i < deployments.Length; i++)
            Assert.InRange(shares[deployments[i].Id], expected[i] - 0.03, expected[i] + 0.03);
    }

    [Fact]
    public void LeastBusy_UnevenInFlight_PicksTheLessBusy()
    {
        var healths = Healths(Deployment("a", "g"), Deployment("b", "g"));
        for (var i = 0; i < 3; i++)
            healths[0].Started(10);
        healths[1].Started(10);

        Assert.Equal(1.0, Shares(new LeastBusyPolicy(new Random(42)), healths, 100)["b"]);
    }

    [Fact]
    public void LeastBusy_ConcurrentStartsAndFinishes_InFlightReturnsToZero()
    {
        var healths = Healths(Deployment("a", "g"), Deployment("b", "g"), Deployment("c", "g"));
        var policy = new LeastBusyPolicy(new Random(42));
        var gate = new object();

        Parallel.For(0, 10_000, _ =>
        {
            DeploymentHealth chosen;
            lock (gate) // System.Random is not thread-safe; the health counters under test are not locked.
                chosen = policy.Choose(healths);
            chosen.Started(1);
            chosen.Succeeded(TimeSpan.FromMilliseconds(1), null);
        });

        Assert.All(healths, h => Assert.Equal(0, h.InFlight));
        Assert.Equal(10_000, healths.Sum(h => h.LastMinute().Requests));
        Assert.All(healths, h => Assert.True(h.LastMinute().Requests > 0));
    }

    [Fact]
    public void LatencyBased_MeasuredDeployments_PicksTheFaster()
    {
        var healths = Healths(Deployment("slow", "g"), Deployment("fast", "g"));
        Measured(healths[0], 400);
        Measured(healths[1], 100);

        // All but exploration picks (ExploreRate, spread over the candidates) go to the expected deployment.
        Assert.InRange(Shares(new LatencyBasedPolicy(new Random(42), 0.1), healths, 1000)["fast"], 1 - LatencyBasedPolicy.ExploreRate, 1.0);
    }

    [Fact]
    public void LatencyBased_TimeToFirstTokenKnown_RanksByItRatherThanTotalLatency()
    {
        var healths = Healths(Deployment("a", "g"), Deployment("b", "g"));
        Measured(healths[0], 100, ttftMs: 90);
        Measured(healths[1], 900, ttftMs: 30);

        // All but exploration picks (ExploreRate, spread over the candidates) go to the expected deployment.
        Assert.InRange(Shares(new LatencyBasedPolicy(new Random(42), 0.1), healths, 1000)["b"], 1 - LatencyBasedPolicy.ExploreRate, 1.0);
    }

    [Fact]
    public void LatencyBased_UnmeasuredDeployment_IsTriedFirst()
    {
        var healths = Healths(Deployment("measured", "g"), Deployment("new", "g"));
        Measured(healths[0], 1);

        // All but exploration picks (ExploreRate, spread over the candidates) go to the expected deployment.
        Assert.InRange(Shares(new LatencyBasedPolicy(new Random(42), 0.1), healths, 1000)["new"], 1 - LatencyBasedPolicy.ExploreRate, 1.0);
    }

    [Theory]
    [InlineData(0.1, 0.30)]
    [InlineData(0.01, 0.0)]
    public void LatencyBased_DeploymentsFivePercentApart_ShareLoadOnlyWithinBuffer(double buffer, double minimumSlowerShare)
    {
        var healths = Healths(Deployment("a", "g"), Deployment("b", "g"));
        Measured(healths[0], 100);
        Measured(healths[1], 105);

        var shares = Shares(new LatencyBasedPolicy(new Random(42), buffer), healths, 10_000);

        Assert.True(shares["a"] >= 0.30, $"a chosen {shares["a"]:P1}");
        if (minimumSlowerShare > 0)
            Assert.True(shares["b"] >= minimumSlowerShare, $"b chosen {shares["b"]:P1}");
        else
            Assert.InRange(shares["b"], 0, LatencyBasedPolicy.ExploreRate);
    }

    [Fact]
    public void CostBased_PricedAndUnpriced_PicksCheapestAndUnpricedLast()
    {
        var prices = new Dictionary<string, decimal?> { ["dear"] = 0.00003m, ["cheap"] = 0.000001m, ["unpriced"] = null };
        var policy = new CostBasedPolicy(new Random(42), d => prices[d.Id]);
        var all = Healths(Deployment("unpriced", "g"), Deployment("dear", "g"), Deployment("cheap", "g"));

        Assert.Equal(1.0, Shares(policy, all, 100)["cheap"]);
        Assert.Equal(1.0, Shares(policy, [all[0], all[1]], 100)["dear"]);
    }

    [Fact]
    public void UsageBased_DifferentLimits_PicksMostHeadroomNotFewestRequests()
    {
        var byRpm = Healths(Deployment("small", "g", rpm: 100), Deployment("large", "g", rpm: 1000));
        for (var i = 0; i < 50; i++) byRpm[0].Started(0);
        for (var i = 0; i < 100; i++) byRpm[1].Started(0);
        var byTpm = Healths(Deployment("small", "g", tpm: 1000), Deployment("large", "g", tpm: 10_000));
        byTpm[0].Started(900);
        byTpm[1].Started(2000);

        var policy = new UsageBasedPolicy(new Random(42));

        Assert.Equal(1.0, Shares(policy, byRpm, 100)["large"]);
        Assert.Equal(1.0, Shares(policy, byTpm, 100)["large"]);
    }

    [Fact]
    public void Pick_OrderTiers_UsesOrderTwoOnlyWhenEveryOrderOneIsCoolingDown()
    {
        var group = new[] { Deployment("a", "g", order: 1), Deployment("b", "g", order: 1), Deployment("backup", "g", order: 2) };
        var picker = new DeploymentPicker(new ModelRegistry(group), new SimpleShufflePolicy(new Random(42)), _clock);
        string[] PickMany() => Enumerable.Range(0, 200).Select(_ => picker.Pick(group, null, 0)?.Deployment.Id ?? "none").Distinct().Order().ToArray();
        void CoolDown(Deployment d)
        {
            picker.Health(d).Started(0);
            picker.Health(d).Failed(immediate: true, allowedFails: 0, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(["a", "b"], PickMany());
        CoolDown(group[0]);
        Assert.Equal(["b"], PickMany());
        CoolDown(group[1]);
        Assert.Equal(["backup"], PickMany());
    }

    [Fact]
    public void Pick_RpmLimitReached_SkipsDeploymentUntilTheMinutePasses()
    {
        var group = new[] { Deployment("limited", "g", order: 1, rpm: 2), Deployment("backup", "g", order: 2) };
        var picker = new DeploymentPicker(new ModelRegistry(group), new SimpleShufflePolicy(new Random(42)), _clock);

        picker.Health(group[0]).Started(0);
        Assert.Equal("limited", picker.Pick(group, null, 0)?.Deployment.Id);
        picker.Health(group[0]).Started(0);
        Assert.Equal("backup", picker.Pick(group, null, 0)?.Deployment.Id);
        _clock.Advance(TimeSpan.FromSeconds(61));

        Assert.Equal("limited", picker.Pick(group, null, 0)?.Deployment.Id);
    }

    [Fact]
    public void Pick_ExcludedDeployments_AvoidedUnlessNothingElseIsLeft()
    {
        var group = new[] { Deployment("a", "g"), Deployment("b", "g") };
        var picker = new DeploymentPicker(new ModelRegistry(group), new SimpleShufflePolicy(new Random(42)), _clock);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal("b", picker.Pick(group, new HashSet<string> { "a" }, 0)?.Deployment.Id));
        Assert.NotNull(picker.Pick(group, new HashSet<string> { "a", "b" }, 0));
    }

    [Theory]
    [InlineData("simple-shuffle", RoutingPolicies.SimpleShuffle)]
    [InlineData("least-busy", RoutingPolicies.LeastBusy)]
    [InlineData("latency-based-routing", RoutingPolicies.LatencyBased)]
    [InlineData("cost-based-routing", RoutingPolicies.CostBased)]
    [InlineData("usage-based-routing", RoutingPolicies.UsageBased)]
    [InlineData("usage-based-routing-v2", RoutingPolicies.UsageBased)]
    public void Create_StrategyName_BuildsThatPolicy(string strategy, string expected)
    {
        var policy = RoutingPolicies.Create(new RouterSettings { RoutingStrategy = strategy }, _ => null, new Random(42));

        Assert.Equal(expected, policy.Name);
    }
}
