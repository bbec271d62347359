using System.Text.Json.Nodes;
using Gateway.Core.Errors;
using static Gateway.Tests.Providers.Anthropic.AnthropicFixtures;

namespace Gateway.Tests.Providers.Anthropic;

public sealed class AnthropicRequestMapperTests
{
    [Fact]
    public void Write_FullConversationFixture_MatchesExpectedAnthropicBody()
    {
        var (body, plan) = Map(Text("request-conversation.openai.json"));

        var expected = JsonNode.Parse(Text("request-conversation.anthropic.json"));
        Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString());
        Assert.Null(plan.JsonToolName);
    }

    [Theory]
    [InlineData("claude-3-haiku-20240307", 4096)]
    [InlineData("claude-3-5-sonnet-20241022", 8192)]
    [InlineData("claude-3-5-haiku-latest", 8192)]
    [InlineData("claude-3-7-sonnet-20250219", 64000)]
    [InlineData("claude-sonnet-4-20250514", 64000)]
    [InlineData("claude-sonnet-4-5", 64000)]
    [InlineData("claude-haiku-4-5-20251001", 64000)]
    [InlineData("claude-opus-4-1-20250805", 32000)]
    [InlineData("claude-opus-4-5-20251101", 64000)]
    [InlineData("some-future-model", 4096)]
    public void Write_NoMaxTokens_UsesModelDefault(string model, int expected)
    {
        var (body, _) = Map(Chat(), model);

        Assert.Equal(expected, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Write_MaxTokensGiven_SendsItUnchanged()
    {
        Assert.Equal(300, Map(Chat(""","max_tokens":300""")).Body["max_tokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("\"auto\"", """{"type":"auto"}""")]
    [InlineData("\"required\"", """{"type":"any"}""")]
    [InlineData("\"none\"", """{"type":"none"}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", """{"type":"tool","name":"f"}""")]
    public void Write_ToolChoice_MapsEachForm(string choice, string expected)
    {
        var (body, _) = Map(Chat($$""","tools":[{"type":"function","function":{"name":"f"} }],"tool_choice":{{choice}}"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), body["tool_choice"]), body["tool_choice"]?.ToJsonString());
    }

    [Fact]
    public void Write_ToolsWithoutChoice_SendsNoToolChoice()
    {
        var (body, _) = Map(Chat(""","tools":[{"type":"function","function":{"name":"f"}}]"""));

        Assert.Null(body["tool_choice"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"name":"f","input_schema":{"type":"object"}}]"""), body["tools"]));
    }

    [Theory]
    [InlineData("low", 1024)]
    [InlineData("medium", 4096)]
    [InlineData("high", 16384)]
    public void Write_ReasoningEffort_EnablesThinkingWithBudget(string effort, int budget)
    {
        var (body, _) = Map(Chat($$""","reasoning_effort":"{{effort}}" """));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"type":"enabled","budget_tokens":{{budget}}}"""), body["thinking"]));
        Assert.True(body["max_tokens"]!.GetValue<int>() > budget);
    }

    [Fact]
    public void Write_ReasoningEffortAboveModelDefault_RaisesDefaultAboveBudget()
    {
        var (body, _) = Map(Chat(""","reasoning_effort":"high" """), "claude-3-5-sonnet-20241022");

        Assert.Equal(16384 + 4096, body["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Write_ReasoningEffortWithSmallerMaxTokens_ShrinksBudgetUnderClientLimit()
    {
        var (body, _) = Map(Chat(""","reasoning_effort":"high","max_completion_tokens":2000"""));

        Assert.Equal(2000, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(1999, body["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void Write_ReasoningEffortWithTinyMaxTokens_Throws400NamingIt()
    {
        var error = Assert.Throws<GatewayError>(() => Map(Chat(""","reasoning_effort":"low","max_tokens":500""")));

        Assert.Equal((400, "max_tokens"), (error.StatusCode, error.Param));
    }

    [Fact]
    public void Write_InvalidToolArgumentsJson_Throws400NamingThePath()
    {
        const string messages = """
            [{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},
             {"id":"b","type":"function","function":{"name":"g","arguments":"{oops"}}]},{"role":"tool","tool_call_id":"a","content":"1"}]
            """;

        var error = Assert.Throws<GatewayError>(() => Map(Chat(messages: messages)));

        Assert.Equal((400, "messages[1].tool_calls[1].function.arguments"), (error.StatusCode, error.Param));
    }

    [Theory]
    [InlineData(""","n":2""", "n")]
    [InlineData(""","temperature":1.5""", "temperature")]
    [InlineData(""","reasoning_effort":"max" """, "reasoning_effort")]
    [InlineData(""","tool_choice":"required" """, "tool_choice")]
    [InlineData(""","response_format":{"type":"json_object"},"tools":[{"type":"function","function":{"name":"f"}}]""", "response_format")]
    [InlineData(""","response_format":{"type":"json_object"},"reasoning_effort":"low" """, "response_format")]
    [InlineData(""","tools":[{"type":"web_search"}]""", "tools[0].type")]
    public void Write_UnmappableValue_Throws400NamingIt(string extra, string param)
    {
        var error = Assert.Throws<GatewayError>(() => Map(Chat(extra)));

        Assert.Equal((400, param), (error.StatusCode, error.Param));
    }

    [Theory]
    [InlineData("""[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]""", "messages[0].content[0].type")]
    [InlineData("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,raw"}}]}]""", "messages[0].content[0].image_url.url")]
    [InlineData("""[{"role":"system","content":"only a system prompt"}]""", "messages")]
    [InlineData("""[{"role":"function","name":"f","content":"x"}]""", "messages[0].role")]
    public void Write_UnmappableMessage_Throws400NamingIt(string messages, string param)
    {
        var error = Assert.Throws<GatewayError>(() => Map(Chat(messages: messages)));

        Assert.Equal((400, param), (error.StatusCode, error.Param));
    }

    [Fact]
    public void Write_JsonObjectFormat_ForcesOpenSchemaTool()
    {
        var (body, plan) = Map(Chat(""","response_format":{"type":"json_object"}"""));

        Assert.Equal("json_output", plan.JsonToolName);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"object"}"""), body["tools"]![0]!["input_schema"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"tool","name":"json_output"}"""), body["tool_choice"]));
    }

    [Fact]
    public void Write_StopArrayUserAndStream_MapToAnthropicFields()
    {
        var (body, _) = Map(Chat(""","stop":["a","b"],"user":"u1","stream":true"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["a","b"]"""), body["stop_sequences"]));
        Assert.Equal("u1", body["metadata"]!["user_id"]!.GetValue<string>());
        Assert.True(body["stream"]!.GetValue<bool>());
    }

    [Fact]
    public void Write_EmptyAssistantAndConsecutiveUsers_MergedIntoOneUserTurn()
    {
        var (body, _) = Map(Chat(messages: """[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":"b"}]"""));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]"""), body["messages"]));
    }
}
