using System.Text.Json;
using Gateway.Core.Usage;
using Gateway.Providers.OpenAI;

namespace Gateway.Tests.Providers.OpenAI;

public sealed class OpenAIUsageReaderTests
{
    private static TokenUsage? Read(string fixture)
    {
        using var document = JsonDocument.Parse(FixtureFile.Bytes("openai", "usage", fixture));
        return OpenAIUsageReader.Read(document.RootElement);
    }

    [Fact]
    public void Read_CachedTokens_AreABreakdownOfPromptTokensNeverAdded()
    {
        // OpenAI's prompt_tokens already includes prompt_tokens_details.cached_tokens. Adding the cache
        // breakdown on top double-counts it: LiteLLM shipped that bug (https://github.com/BerriAI/litellm/issues/9812).
        var usage = Read("cached-and-reasoning.json");

        Assert.NotNull(usage);
        Assert.Equal(2000, usage.Value.PromptTokens);
        Assert.Equal(1500, usage.Value.CachedReadTokens);
        Assert.Equal(300, usage.Value.CompletionTokens);
        Assert.Equal(2300, usage.Value.TotalTokens);
    }

    [Fact]
    public void Read_ReasoningTokens_Read()
    {
        Assert.Equal(128, Read("cached-and-reasoning.json")?.ReasoningTokens);
    }

    [Theory]
    [InlineData("no-details.json", 17, 5)]
    [InlineData("null-details.json", 40, 10)]
    public void Read_MissingDetails_BreakdownIsZero(string fixture, long prompt, long completion)
    {
        Assert.Equal(new TokenUsage(prompt, completion, 0, 0, 0), Read(fixture));
    }

    [Fact]
    public void Read_MissingUsage_Null()
    {
        Assert.Null(Read("no-usage.json"));
    }

    [Theory]
    [InlineData("{\"usage\":null}")]
    [InlineData("{\"usage\":42}")]
    [InlineData("[{\"usage\":{\"prompt_tokens\":1}}]")]
    public void Read_UsageNotAnObject_Null(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(OpenAIUsageReader.Read(document.RootElement));
    }

    [Fact]
    public void Read_NonIntegerCounts_ReadAsZero()
    {
        using var document = JsonDocument.Parse("""{"usage":{"prompt_tokens":"12","completion_tokens":1.5}}""");

        Assert.Equal(new TokenUsage(0, 0), OpenAIUsageReader.Read(document.RootElement));
    }
}
