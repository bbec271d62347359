using System.Text;
using System.Text.Json.Nodes;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Anthropic;
using Gateway.Providers.Sse;
using Gateway.Testing.Fakes.Anthropic;

namespace Gateway.Tests.Providers.Anthropic;

public sealed class AnthropicStreamMapperTests
{
    [Fact]
    public async Task Map_ThinkingTextToolUseFixture_EmitsOpenAIChunksInOrder()
    {
        var (chunks, mapper) = await MapFixtureAsync("stream-thinking-tool-use.sse");

        Assert.True(mapper.Completed);
        var deltas = chunks.Select(c => JsonNode.Parse(c.Data.Span)!).ToList();
        var first = deltas[0]["choices"]![0]!["delta"]!;
        Assert.Equal("assistant", first["role"]!.GetValue<string>());
        Assert.Equal("Need the tool.", first["reasoning_content"]!.GetValue<string>());
        Assert.Equal("Okay, checking.", deltas[1]["choices"]![0]!["delta"]!["content"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"index":0,"id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","type":"function","function":{"name":"get_weather","arguments":""}}]
            """), deltas[2]["choices"]![0]!["delta"]!["tool_calls"]));
        var arguments = string.Concat(deltas.Skip(3).Take(2).Select(d => d["choices"]![0]!["delta"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>()));
        Assert.Equal("{\"location\": \"San Francisco, CA\"}", arguments);
        Assert.Equal("tool_calls", deltas[5]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(7, chunks.Count);
        Assert.All(deltas, d => Assert.Equal("msg_014p7gG3wDgGV9EUtLvnow3U", d["id"]!.GetValue<string>()));
    }

    /// <summary>LiteLLM issue 9812 for streams: message_start's cache counts are summed into prompt_tokens once, never again.</summary>
    [Fact]
    public async Task Map_FinalChunk_IsUsageOnlyWithCacheTokensCountedOnce()
    {
        var (chunks, _) = await MapFixtureAsync("stream-thinking-tool-use.sse");

        var last = chunks[^1];
        Assert.True(last.IsUsageOnly);
        Assert.Equal(new Gateway.Core.Usage.TokenUsage(472 + 2000 + 100, 89, CachedReadTokens: 2000, CacheWriteTokens: 100), last.Usage);
        var json = JsonNode.Parse(last.Data.Span)!;
        Assert.Empty(json["choices"]!.AsArray());
        Assert.Equal(2572, json["usage"]!["prompt_tokens"]!.GetValue<long>());
        Assert.Equal(2000, json["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<long>());
        Assert.Equal(100, json["usage"]!["prompt_tokens_details"]!["cache_creation_tokens"]!.GetValue<long>());
    }

    [Fact]
    public void Map_JsonModeTool_StreamsInputAsContentAndFinishesWithStop()
    {
        var mapper = new AnthropicStreamMapper(new AnthropicRequestPlan("city_info"), 1, "d1");
        var chunks = Feed(mapper, AnthropicWire.MessageStart(), AnthropicWire.ToolUseStart(0, "toolu_1", "city_info"),
            AnthropicWire.InputJsonDelta(0, "{\"city\":"), AnthropicWire.InputJsonDelta(0, "\"Paris\"}"), AnthropicWire.MessageDelta("tool_use"), AnthropicWire.MessageStop());

        var text = string.Concat(chunks.Where(c => !c.IsUsageOnly).Select(c => JsonNode.Parse(c.Data.Span)!["choices"]![0]!["delta"]!["content"]?.GetValue<string>()));
        Assert.Equal("{\"city\":\"Paris\"}", text);
        Assert.DoesNotContain("tool_calls", string.Concat(chunks.Select(c => Encoding.UTF8.GetString(c.Data.Span))));
        Assert.Contains("\"finish_reason\":\"stop\"", Encoding.UTF8.GetString(chunks[^2].Data.Span));
    }

    [Theory]
    [InlineData("overloaded_error", 503, true)]
    [InlineData("api_error", 502, true)]
    [InlineData("rate_limit_error", 429, true)]
    [InlineData("invalid_request_error", 400, false)]
    public void Map_ErrorEvent_ThrowsClassifiedGatewayError(string type, int status, bool retryable)
    {
        var mapper = new AnthropicStreamMapper(new AnthropicRequestPlan(null), 1, "d1");
        Feed(mapper, AnthropicWire.MessageStart());

        var error = Assert.Throws<GatewayError>(() => Feed(mapper, AnthropicWire.ErrorEvent(type, "boom")));

        Assert.Equal((status, retryable), (error.StatusCode, error.IsRetryable));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}""")]
    public void Map_MalformedEvent_Throws502InvalidResponse(string data)
    {
        var mapper = new AnthropicStreamMapper(new AnthropicRequestPlan(null), 1, "d1");

        var error = Assert.Throws<GatewayError>(() => mapper.Map(Encoding.UTF8.GetBytes(data), []));

        Assert.Equal((502, "upstream_invalid_response"), (error.StatusCode, error.Code));
    }

    private static async Task<(List<StreamChunk> Chunks, AnthropicStreamMapper Mapper)> MapFixtureAsync(string name)
    {
        var mapper = new AnthropicStreamMapper(new AnthropicRequestPlan(null), 1732000000, "d1");
        var chunks = new List<StreamChunk>();
        await using var stream = AnthropicFixtures.Open(name);
        await foreach (var sse in SseReader.ReadAsync(stream, CancellationToken.None))
        {
            var batch = new List<StreamChunk>();
            mapper.Map(sse.Data, batch);
            chunks.AddRange(batch.Select(c => c with { Data = c.Data.ToArray() }));
        }
        return (chunks, mapper);
    }

    /// <summary>Feeds raw <c>event:/data:</c> text (as <see cref="AnthropicWire"/> writes it) through the mapper.</summary>
    private static List<StreamChunk> Feed(AnthropicStreamMapper mapper, params string[] events)
    {
        var chunks = new List<StreamChunk>();
        foreach (var e in events)
        {
            var data = e.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            mapper.Map(Encoding.UTF8.GetBytes(data), chunks);
        }
        return chunks;
    }
}
