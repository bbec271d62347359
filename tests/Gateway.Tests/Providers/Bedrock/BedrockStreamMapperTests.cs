using System.Text.Json.Nodes;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Bedrock.Streaming;
using Gateway.Testing.Fakes.Bedrock;

namespace Gateway.Tests.Providers.Bedrock;

public sealed class BedrockStreamMapperTests
{
    [Fact]
    public void Map_ReasoningTextAndToolUse_BecomeOpenAIChunksInOrder()
    {
        var (chunks, mapper) = Map(
            BedrockEventStream.MessageStart(),
            BedrockEventStream.Reasoning(0, "Think."),
            BedrockEventStream.BlockStop(0),
            BedrockEventStream.Text(1, "Checking."),
            BedrockEventStream.ToolStart(2, "tooluse_1", "get_weather"),
            BedrockEventStream.ToolInput(2, "{\"city\":"),
            BedrockEventStream.ToolInput(2, "\"Paris\"}"),
            BedrockEventStream.BlockStop(2),
            BedrockEventStream.MessageStop("tool_use"),
            BedrockEventStream.Metadata(30, 12, cacheRead: 100, cacheWrite: 5));

        Assert.True(mapper.Completed);
        var d = chunks.Select(c => JsonNode.Parse(c.Data.Span)!).ToList();
        Assert.Equal("assistant", d[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("Think.", d[0]["choices"]![0]!["delta"]!["reasoning_content"]!.GetValue<string>());
        Assert.Null(d[1]["choices"]![0]!["delta"]!["role"]);
        Assert.Equal("Checking.", d[1]["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"index":0,"id":"tooluse_1","type":"function","function":{"name":"get_weather","arguments":""}}]"""),
            d[2]["choices"]![0]!["delta"]!["tool_calls"]));
        var arguments = string.Concat(d.Skip(3).Take(2).Select(x => x["choices"]![0]!["delta"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>()));
        Assert.Equal("{\"city\":\"Paris\"}", arguments);
        Assert.Equal("tool_calls", d[5]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.True(chunks[^1].IsUsageOnly);
        Assert.Equal((135L, 12L, 100L, 5L), (chunks[^1].Usage!.Value.PromptTokens, chunks[^1].Usage!.Value.CompletionTokens,
            chunks[^1].Usage!.Value.CachedReadTokens, chunks[^1].Usage!.Value.CacheWriteTokens));
        Assert.Equal(135, d[^1]["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.All(d, x => Assert.Equal("chatcmpl-r1", x["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("throttlingException", 429, "rate_limit_exceeded", true)]
    [InlineData("modelStreamErrorException", 502, "upstream_model_error", true)]
    [InlineData("validationException", 400, "invalid_request", false)]
    [InlineData("internalServerException", 502, "upstream_error", true)]
    [InlineData("serviceUnavailableException", 503, "upstream_unavailable", true)]
    public void Map_ExceptionFrame_ThrowsTheMatchingGatewayError(string type, int status, string code, bool retryable)
    {
        var error = Assert.Throws<GatewayError>(() => Map(BedrockEventStream.MessageStart(), BedrockEventStream.Exception(type, "boom")));

        Assert.Equal((status, code, retryable), (error.StatusCode, error.Code, error.IsRetryable));
        Assert.Contains("boom", error.Message);
    }

    [Fact]
    public void Map_UnknownEventsAndPadding_AreIgnored()
    {
        var (chunks, _) = Map(BedrockEventStream.MessageStart(), BedrockEventStream.Event("somethingNew", """{"x":1}"""), BedrockEventStream.Text(0, "ok"));

        Assert.Single(chunks);
    }

    private static (List<StreamChunk>, BedrockStreamMapper) Map(params byte[][] frames)
    {
        var mapper = new BedrockStreamMapper("chatcmpl-r1", 1700000000, "anthropic.claude-3-5-haiku", "bedrock-dep", "us-west-2");
        var chunks = new List<StreamChunk>();
        foreach (var frame in frames)
            mapper.Map(EventStreamReader.Decode(frame, frame.Length), chunks);
        return (chunks, mapper);
    }
}
