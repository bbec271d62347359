using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Providers.Bedrock;

namespace Gateway.Tests.Providers.Bedrock;

/// <summary>Converse request bodies for what OpenAI has and Converse names differently: cache points, thinking, extras.</summary>
public sealed class BedrockRequestMapperTests
{
    private const string Claude = "us.anthropic.claude-sonnet-4-20250514-v1:0";

    [Fact]
    public void CacheControl_OnSystemPartMessageAndTool_BecomesCachePointsRightAfterThem()
    {
        var body = Map("""
            {"model":"m","messages":[
              {"role":"system","content":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}}]},
              {"role":"user","content":[{"type":"text","text":"Doc","cache_control":{"type":"ephemeral","ttl":"1h"}},{"type":"text","text":"Q"}]},
              {"role":"assistant","content":"A","cache_control":{"type":"ephemeral"}}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}},"cache_control":{"type":"ephemeral"}}]}
            """);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"text":"Long rules"},{"cachePoint":{"type":"default"}}]"""), body["system"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"text":"Doc"},{"cachePoint":{"type":"default","ttl":"1h"}},{"text":"Q"}]"""),
            body["messages"]![0]!["content"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"text":"A"},{"cachePoint":{"type":"default"}}]"""), body["messages"]![1]!["content"]));
        Assert.Equal("f", body["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>());
        Assert.Equal("default", body["toolConfig"]!["tools"]![1]!["cachePoint"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void ReasoningEffort_OnClaude_IsAThinkingBudgetWithRoomToAnswer()
    {
        var body = Map("""{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"medium"}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"thinking":{"type":"enabled","budget_tokens":4096}}"""), body["additionalModelRequestFields"]));
        Assert.Equal(4096 + 4096, body["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public void ReasoningEffort_WithASmallerLimit_ShrinksTheBudgetUnderIt()
    {
        var body = Map("""{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"high","max_tokens":3000}""");

        Assert.Equal(2999, body["additionalModelRequestFields"]!["thinking"]!["budget_tokens"]!.GetValue<int>());
        Assert.Equal(3000, body["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public void ReasoningEffort_OnANonClaudeModel_Is400()
    {
        var error = Assert.Throws<GatewayError>(() =>
            Map("""{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"low"}""", "meta.llama3-70b-instruct-v1:0"));

        Assert.Equal((400, "reasoning_effort"), (error.StatusCode, error.Param));
    }

    [Fact]
    public void TopKAndExtras_GoToAdditionalModelRequestFields()
    {
        var body = Map("""{"model":"m","messages":[{"role":"user","content":"hi"}],"top_k":40,"additionalModelRequestFields":{"anthropic_beta":["context-1m-2025-08-07"]}}""");
        var nova = Map("""{"model":"m","messages":[{"role":"user","content":"hi"}],"top_k":20}""", "us.amazon.nova-pro-v1:0");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"top_k":40,"anthropic_beta":["context-1m-2025-08-07"]}"""), body["additionalModelRequestFields"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"inferenceConfig":{"topK":20}}"""), nova["additionalModelRequestFields"]));
    }

    [Fact]
    public void PlainRequest_HasNoAdditionalFieldsAndNoDefaultMaxTokens()
    {
        var body = Map("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Null(body["additionalModelRequestFields"]);
        Assert.Null(body["inferenceConfig"]!["maxTokens"]);
    }

    [Fact]
    public void ReasoningInAnswer_IsReturnedAsReasoningContent()
    {
        var answer = """{"output":{"message":{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Hmm.","signature":"sig"}}},{"text":"42"}]}},"stopReason":"end_turn","usage":{"inputTokens":5,"outputTokens":9,"totalTokens":14}}""";

        var (completion, _) = BedrockResponseMapper.Map(Encoding.UTF8.GetBytes(answer), "chatcmpl-1", 1, Claude, "d");

        Assert.Equal(("42", "Hmm."), (completion.Choices[0].Message.Content, completion.Choices[0].Message.ReasoningContent));
    }

    private static JsonNode Map(string openAI, string modelId = Claude)
    {
        using var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(openAI));
        var output = new ArrayBufferWriter<byte>();
        BedrockRequestMapper.Write(request, modelId, output);
        return JsonNode.Parse(output.WrittenSpan)!;
    }
}
