using System.Text;
using Gateway.Core.Pricing;

namespace Gateway.Tests.Core.Pricing;

public sealed class PriceCatalogTests
{
    private static readonly PriceCatalog Catalog = PriceCatalog.Default;

    private static ModelPrice Get(string provider, string modelId, string? region = null)
    {
        Assert.True(Catalog.TryGet(provider, modelId, region, out var price), $"{provider}/{modelId} not found");
        return price;
    }

    private static PriceCatalog LoadJson(string json) => PriceCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static string OneModel(string fields) =>
        $$"""{ "checked": "2026-11-24", "models": [ { "provider": "p", "model": "m", "context_window": 1000, {{fields}} } ] }""";

    // Expected numbers below are the data_slim.json per-million prices divided by 1,000,000 by hand.

    [Fact]
    public void TryGet_OpenAIGpt4o_ReturnsDataSlimPrices()
    {
        var price = Get("openai", "gpt-4o");

        Assert.Equal(0.0000025m, price.Input);
        Assert.Equal(0.00001m, price.Output);
        Assert.Equal(0.00000125m, price.CacheRead);
        Assert.Null(price.CacheWrite);
        Assert.Null(price.Reasoning);
        Assert.Equal(128_000, price.ContextWindow);
        Assert.Equal(16_384, price.MaxOutputTokens);
    }

    [Fact]
    public void TryGet_OpenAIO3_ReturnsCurrentPriceNotLaunchPrice()
    {
        var price = Get("openai", "o3");

        Assert.Equal(0.000002m, price.Input);
        Assert.Equal(0.000008m, price.Output);
    }

    [Fact]
    public void TryGet_AnthropicClaudeHaiku45_ReturnsFiveMinuteCacheWrite()
    {
        var price = Get("anthropic", "claude-haiku-4-5");

        Assert.Equal(0.000001m, price.Input);
        Assert.Equal(0.000005m, price.Output);
        Assert.Equal(0.0000001m, price.CacheRead);
        Assert.Equal(0.00000125m, price.CacheWrite);
    }

    [Fact]
    public void TryGet_BedrockNovaMicro_ConvertsSubCentPriceExactly()
    {
        var price = Get("bedrock", "amazon.nova-micro-v1:0");

        Assert.Equal(0.000000035m, price.Input);
        Assert.Equal(0.00000000875m, price.CacheRead);
    }

    [Fact]
    public void TryGet_AzureO4Mini_UsesAzureCachePriceNotOpenAIs()
    {
        Assert.Equal(0.00000028m, Get("azure", "o4-mini").CacheRead);
        Assert.Equal(0.000000275m, Get("openai", "o4-mini").CacheRead);
    }

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-20250514", "claude-sonnet-4")]
    [InlineData("anthropic", "claude-3-5-haiku-latest", "claude-3-5-haiku")]
    [InlineData("openai", "gpt-4o-2024-11-20", "gpt-4o")]
    [InlineData("azure", "gpt-4.1-mini-2025-04-14", "gpt-4.1-mini")]
    public void TryGet_DatedAlias_ResolvesToCanonicalModel(string provider, string alias, string canonical)
    {
        Assert.Equal(canonical, Get(provider, alias).Model);
    }

    [Fact]
    public void TryGet_DifferentCase_Resolves()
    {
        var price = Get("OpenAI", "GPT-4o-Mini");

        Assert.Equal("gpt-4o-mini", price.Model);
        Assert.Equal(0.00000015m, price.Input);
    }

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-20250514-v1:0")]
    [InlineData("eu.anthropic.claude-sonnet-4-20250514-v1:0")]
    [InlineData("apac.anthropic.claude-sonnet-4-20250514-v1:0")]
    [InlineData("us-gov.anthropic.claude-sonnet-4-20250514-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0")]
    public void TryGet_BedrockInferenceProfile_ResolvesBaseModel(string modelId)
    {
        var price = Get("bedrock", modelId);

        Assert.Equal("anthropic.claude-sonnet-4-20250514-v1:0", price.Model);
        Assert.Null(price.Region);
        Assert.Equal(0.000003m, price.Input);
    }

    [Fact]
    public void TryGet_BedrockGlobalProfile_AppliesGlobalOverride()
    {
        var regional = Get("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1");
        var global = Get("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1");

        Assert.Equal(0.0000033m, regional.Input);
        Assert.Equal(0.0000165m, regional.Output);
        Assert.Equal(0.000004125m, regional.CacheWrite);
        Assert.Equal("global", global.Region);
        Assert.Equal(0.000003m, global.Input);
        Assert.Equal(0.000015m, global.Output);
        Assert.Equal(0.00000375m, global.CacheWrite);
    }

    [Fact]
    public void TryGet_RegionWithOverride_AppliesOverrideAndKeepsOtherBasePrices()
    {
        var catalog = LoadJson(OneModel("""
            "input": "1", "output": "2", "cache_read": "0.5",
            "regions": { "eu-west-3": { "input": "1.1", "output": "2.2" } }
            """));

        Assert.True(catalog.TryGet("p", "m", "EU-WEST-3", out var regional));
        Assert.True(catalog.TryGet("p", "m", "us-east-1", out var other));

        Assert.Equal("eu-west-3", regional.Region);
        Assert.Equal(0.0000011m, regional.Input);
        Assert.Equal(0.0000022m, regional.Output);
        Assert.Equal(0.0000005m, regional.CacheRead);
        Assert.Null(other.Region);
        Assert.Equal(0.000001m, other.Input);
    }

    [Theory]
    [InlineData(1, "3", "15", "0.3", "3.75")]
    [InlineData(200_000, "3", "15", "0.3", "3.75")]
    [InlineData(200_001, "6", "22.5", "0.6", "7.5")]
    public void PriceFor_ClaudeSonnet45_PicksTierOnlyAbove200K(long inputTokens, string input, string output, string cacheRead, string cacheWrite)
    {
        var rates = PriceCatalog.PriceFor(Get("anthropic", "claude-sonnet-4-5"), inputTokens);

        Assert.Equal(ModelPrice.PerToken(input), rates.Input);
        Assert.Equal(ModelPrice.PerToken(output), rates.Output);
        Assert.Equal(ModelPrice.PerToken(cacheRead), rates.CacheRead);
        Assert.Equal(ModelPrice.PerToken(cacheWrite), rates.CacheWrite);
        Assert.Equal(rates.Output, rates.Reasoning);
    }

    [Fact]
    public void PriceFor_NoSeparateCachePrices_BillsCacheAsInput()
    {
        var rates = PriceCatalog.PriceFor(Get("bedrock", "deepseek.r1-v1:0"), 1_000);

        Assert.Equal(0.00000135m, rates.Input);
        Assert.Equal(0.0000054m, rates.Output);
        Assert.Equal(rates.Input, rates.CacheRead);
        Assert.Equal(rates.Input, rates.CacheWrite);
    }

    [Theory]
    [InlineData("openai", "gpt-9-ultra")]
    [InlineData("openai", "us.gpt-4o")]
    [InlineData("anthropic", "gpt-4o")]
    [InlineData("nobody", "gpt-4o")]
    [InlineData("bedrock", "us.anthropic.claude-unknown-v1:0")]
    public void TryGet_UnknownModel_ReturnsFalse(string provider, string modelId)
    {
        Assert.False(Catalog.TryGet(provider, modelId, null, out _));
    }

    [Fact]
    public void Default_EveryEntry_HasInputOutputAndContextWindow()
    {
        Assert.NotEmpty(Catalog.Models);
        foreach (var m in Catalog.Models)
        {
            Assert.True(m.Input > 0, $"{m.Provider}/{m.Model} input");
            var isEmbedding = m.Model.Contains("embed", StringComparison.Ordinal);
            Assert.True(isEmbedding ? m.Output == 0 : m.Output > 0, $"{m.Provider}/{m.Model} output");
            Assert.True(m.ContextWindow > 0, $"{m.Provider}/{m.Model} context window");
            Assert.True(isEmbedding || m.MaxOutputTokens > 0, $"{m.Provider}/{m.Model} max output");
        }
    }

    [Theory]
    [InlineData("openai", 15)]
    [InlineData("azure", 15)]
    [InlineData("anthropic", 7)]
    [InlineData("bedrock", 17)]
    public void Default_Provider_HasExpectedModelCount(string provider, int count)
    {
        Assert.Equal(count, Catalog.Models.Count(m => m.Provider == provider));
    }

    [Theory]
    [InlineData("\"input\": \"1\"")]
    [InlineData("\"input\": \"1,5\", \"output\": \"2\"")]
    [InlineData("\"input\": \"-1\", \"output\": \"2\"")]
    [InlineData("\"input\": \"1\", \"output\": \"2\", \"colour\": \"red\"")]
    [InlineData("\"input\": \"1\", \"output\": \"2\", \"aliases\": [\"M\"]")]
    [InlineData("\"input\": \"1\", \"output\": \"2\", \"cache_read\": \"0.1\", \"tiers\": [ { \"above_input_tokens\": 10, \"input\": \"2\", \"output\": \"4\" } ]")]
    public void Load_InvalidEntry_Throws(string fields)
    {
        Assert.Throws<InvalidDataException>(() => LoadJson(OneModel(fields)));
    }
}
