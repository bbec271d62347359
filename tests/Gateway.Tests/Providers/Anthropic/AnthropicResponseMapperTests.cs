using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Providers.Anthropic;
using Gateway.Testing.Fakes.Anthropic;

namespace Gateway.Tests.Providers.Anthropic;

public sealed class AnthropicResponseMapperTests
{
    private static readonly AnthropicRequestPlan Plain = new(JsonToolName: null);

    /// <summary>
    /// LiteLLM issue 9812: cache_creation_input_tokens was added to prompt_tokens twice. Anthropic reports input_tokens,
    /// cache reads and cache writes as disjoint counts; prompt_tokens is their sum, and the cache fields are only its breakdown.
    /// </summary>
    [Fact]
    public void Map_CacheReadAndWrite_PromptTokensIsTheSumNeverDoubleCounted_LiteLLM9812()
    {
        var (body, response) = MapFixture("response-cache-usage.json", Plain);

        Assert.Equal(21 + 2049 + 188, response.Usage!.Value.PromptTokens);
        Assert.Equal(2049, response.Usage.Value.CachedReadTokens);
        Assert.Equal(188, response.Usage.Value.CacheWriteTokens);
        Assert.Equal(393, response.Usage.Value.CompletionTokens);
        var usage = body["usage"]!;
        Assert.Equal(2258, usage["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(2651, usage["total_tokens"]!.GetValue<long>());
        Assert.Equal(2049, usage["prompt_tokens_details"]!["cached_tokens"]!.GetValue<long>());
        Assert.Equal(188, usage["prompt_tokens_details"]!["cache_creation_tokens"]!.GetValue<long>());
        Assert.Equal("claude-sonnet-4-20250514", response.ProviderModel);
    }

    [Fact]
    public void Map_ThinkingTextAndToolUse_BecomeReasoningContentAndToolCalls()
    {
        var (body, _) = MapFixture("response-thinking-tool-use.json", Plain);

        var choice = body["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("Let me check.", choice["message"]!["content"]!.GetValue<string>());
        Assert.Equal("The user wants the weather; call the tool.", choice["message"]!["reasoning_content"]!.GetValue<string>());
        var call = choice["message"]!["tool_calls"]![0]!;
        Assert.Equal("toolu_01A09q90qw90lq917835lq9", call["id"]!.GetValue<string>());
        Assert.Equal("function", call["type"]!.GetValue<string>());
        Assert.Equal("get_weather", call["function"]!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris","unit":"celsius"}"""),
            JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())));
        Assert.Equal("chat.completion", body["object"]!.GetValue<string>());
        Assert.Equal(1732000000, body["created"]!.GetValue<long>());
    }

    [Fact]
    public void Map_JsonModeToolUse_ReturnsInputAsContentWithStop()
    {
        using var doc = JsonDocument.Parse(AnthropicWire.ToolUseMessage("city_info", """{"city":"Paris"}""", text: ""));

        var response = AnthropicResponseMapper.Map(doc.RootElement, new AnthropicRequestPlan("city_info"), 1732000000, "d1");

        var choice = JsonNode.Parse(response.Body.Span)!["choices"]![0]!;
        Assert.Equal("stop", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", choice["message"]!["content"]!.GetValue<string>());
        Assert.Null(choice["message"]!["tool_calls"]);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("pause_turn", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("something_new", "stop")]
    public void ToOpenAI_EachStopReason_MapsPerTable(string stopReason, string finishReason)
    {
        Assert.Equal(finishReason, AnthropicFinishReasons.ToOpenAI(stopReason));
    }

    private static (JsonNode Body, Gateway.Core.Providers.ChatResponse Response) MapFixture(string name, AnthropicRequestPlan plan)
    {
        using var doc = JsonDocument.Parse(AnthropicFixtures.Text(name));
        var response = AnthropicResponseMapper.Map(doc.RootElement, plan, 1732000000, "d1");
        return (JsonNode.Parse(response.Body.Span)!, response);
    }
}
