using Gateway.Core.Pricing;
using Gateway.Core.Routing;
using Gateway.Core.Usage;

namespace Gateway.Tests.Core.Pricing;

/// <summary>
/// Cost per provider against hand computations from the catalog's per-million prices (written out in each case).
/// Prompt tokens include cache reads and writes; each part pays its own rate once (LiteLLM issues 9812, 14849).
/// </summary>
public sealed class CostCalculatorTests
{
    private static readonly CostCalculator Costs = new(PriceCatalog.Default);

    public static TheoryData<string, string, string?, long, long, long, long, long, string> Fixtures => new()
    {
        // provider, model, region, prompt, completion, cacheRead, cacheWrite, reasoning, expected USD
        // gpt-4o 2.5/10, cache read 1.25: 1000×2.5 + 500×10 (per million)
        { "openai", "gpt-4o", null, 1000, 500, 0, 0, 0, "0.0075" },
        // 400 uncached × 2.5 + 600 read × 1.25 + 500 × 10
        { "openai", "gpt-4o", null, 1000, 500, 600, 0, 0, "0.00675" },
        // o3 2/8, reasoning bills as output: 100×2 + 1000×8
        { "openai", "o3", null, 100, 1000, 0, 0, 800, "0.0082" },
        // claude-sonnet-4-5 3/15, read 0.3, write 3.75: 1000×3 + 100×15
        { "anthropic", "claude-sonnet-4-5", null, 1000, 100, 0, 0, 0, "0.0045" },
        // 1000 uncached × 3 + 4000 written × 3.75 + 100 × 15
        { "anthropic", "claude-sonnet-4-5-20250929", null, 5000, 100, 0, 4000, 0, "0.0195" },
        // 1000 uncached × 3 + 4000 read × 0.3 + 100 × 15
        { "anthropic", "claude-sonnet-4-5", null, 5000, 100, 4000, 0, 0, "0.0057" },
        // above 200K prompt tokens the whole request pays the tier 6/22.5/0.6: 200000×6 + 50000×0.6 + 1000×22.5
        { "anthropic", "claude-sonnet-4-5", null, 250_000, 1000, 50_000, 0, 0, "1.2525" },
        // nova-micro 0.035/0.14, read 0.00875: 1000×0.035 + 1000×0.14
        { "bedrock", "amazon.nova-micro-v1:0", "us-east-1", 1000, 1000, 0, 0, 0, "0.000175" },
        // 1000 uncached × 0.035 + 1000 read × 0.00875
        { "bedrock", "us.amazon.nova-micro-v1:0", "us-east-1", 2000, 0, 1000, 0, 0, "0.00004375" },
        // Claude Sonnet 4.5 on Bedrock 3.3/16.5, write 4.125: 1000×3.3 + 1000×4.125 + 100×16.5
        { "bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-west-2", 2000, 100, 0, 1000, 0, "0.009075" },
        // DeepSeek R1 1.35/5.4, reasoning as output: 100×1.35 + 1000×5.4
        { "bedrock", "deepseek.r1-v1:0", "us-west-2", 100, 1000, 0, 0, 900, "0.005535" },
        // Azure o4-mini 1.1/4.4, read 0.28 (Azure's, not OpenAI's 0.275): 500×1.1 + 500×0.28 + 100×4.4
        { "azure", "o4-mini", null, 1000, 100, 500, 0, 0, "0.00113" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Cost_MatchesHandComputation(string provider, string model, string? region, long prompt, long completion, long cacheRead,
        long cacheWrite, long reasoning, string expected)
    {
        var price = Costs.PriceOf(Deployment(provider, model, region));

        Assert.NotNull(price);
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            CostCalculator.Cost(new TokenUsage(prompt, completion, cacheRead, cacheWrite, reasoning), price));
    }

    [Fact]
    public void DeploymentOverride_ReplacesOnlyTheFieldsItSets()
    {
        var deployment = Deployment("openai", "gpt-4o", null) with { Prices = new PriceOverride(0.000001m, null, null, null, null) };

        var cost = CostCalculator.Cost(new TokenUsage(1000, 500, 200), Costs.PriceOf(deployment)!);

        // 800 × 1.0 + 200 read × 1.25 (catalog) + 500 × 10 (catalog), per million
        Assert.Equal(0.00605m, cost);
    }

    [Fact]
    public void ModelMissingFromCatalog_IsUnpriced_UnlessTheDeploymentPricesIt()
    {
        var local = Deployment("openai", "my-finetune", null);

        Assert.Null(Costs.PriceOf(local));
        var priced = Costs.PriceOf(local with { Prices = new PriceOverride(0.000002m, 0.000004m, null, null, null) });
        Assert.Equal(0.004m, CostCalculator.Cost(new TokenUsage(1000, 500), priced!));
        Assert.Null(Costs.PriceOf(local with { Prices = new PriceOverride(0.000002m, null, null, null, null) }));
    }

    private static Deployment Deployment(string provider, string model, string? region) => new()
    {
        Id = "d1",
        GroupName = "g",
        Provider = provider,
        ModelId = model,
        Params = region is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["aws_region_name"] = region },
    };
}
