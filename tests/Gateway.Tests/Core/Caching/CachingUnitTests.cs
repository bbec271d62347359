using System.Text;
using System.Text.Json.Nodes;
using Gateway.Core.Caching;
using Gateway.Core.OpenAI;
using Gateway.Core.Usage;

namespace Gateway.Tests.Core.Caching;

public sealed class CachingUnitTests
{
    private static string Key(string json, string scope = "team:a", string group = "g")
    {
        using var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(json));
        return CacheKeys.For(request, group, scope, null);
    }

    [Fact]
    public void CacheKey_IgnoresKeyOrderUserMetadataAndStream_ButNotScopeGroupOrSampling()
    {
        var baseline = Key("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"tools":[{"type":"function","function":{"name":"f","parameters":{"a":1,"b":2}}}]}""");

        Assert.Equal(baseline, Key("""{"tools":[{"function":{"parameters":{"b":2,"a":1},"name":"f"},"type":"function"}],"temperature":0.2,"messages":[{"content":"hi","role":"user"}],"model":"other-name","user":"u","metadata":{"tags":["x"]},"stream":true}"""));
        Assert.NotEqual(baseline, Key("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.3,"tools":[{"type":"function","function":{"name":"f","parameters":{"a":1,"b":2}}}]}"""));
        Assert.NotEqual(baseline, Key("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"tools":[{"type":"function","function":{"name":"f","parameters":{"a":1,"b":2}}}]}""", scope: "team:b"));
        Assert.NotEqual(baseline, Key("""{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"tools":[{"type":"function","function":{"name":"f","parameters":{"a":1,"b":2}}}]}""", group: "h"));
    }

    [Fact]
    public void CachedAnswer_LargeIsBrotliCompressed_SmallIsPlain_BothRoundTrip()
    {
        var big = Encoding.UTF8.GetBytes(OpenAIJson(string.Concat(Enumerable.Repeat("lorem ipsum ", 20_000))));
        var small = Encoding.UTF8.GetBytes(OpenAIJson("hi"));
        var usage = new TokenUsage(10, 20, 3, 1, 2);

        var bigEntry = new CachedAnswer(big, usage, 0.0001234m, "d1", "openai", "gpt-4o-mini").Encode(1024);
        var smallEntry = new CachedAnswer(small, usage, null, null, null, null).Encode(1024);

        Assert.Equal((byte)'B', bigEntry[0]);
        Assert.True(bigEntry.Length < big.Length / 20, $"{bigEntry.Length} bytes from {big.Length}");
        Assert.Equal((byte)'J', smallEntry[0]);
        var decoded = CachedAnswer.Decode(bigEntry)!;
        Assert.Equal(big, decoded.Body.ToArray());
        Assert.Equal((usage, 0.0001234m, "d1", "openai", "gpt-4o-mini"), (decoded.Usage, decoded.Cost, decoded.Deployment, decoded.Provider, decoded.ProviderModel));
        Assert.Null(CachedAnswer.Decode(smallEntry)!.Cost);
        Assert.Null(CachedAnswer.Decode([(byte)'B', 1, 2, 3]));
        Assert.Null(CachedAnswer.Decode("Jnot json"u8));
    }

    [Fact]
    public void StreamAssembler_RebuildsTextReasoningAndToolCalls()
    {
        var assembler = new StreamAssembler();
        foreach (var chunk in new[]
        {
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"think"}}]}""",
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"Let me "}}]}""",
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"content":"check."}}]}""",
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get","arguments":""}}]}}]}""",
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}}]}""",
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}""",
            """{"id":"c1","created":5,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
        })
            assembler.Add(Encoding.UTF8.GetBytes(chunk));

        var completion = JsonNode.Parse(assembler.ToCompletion(new TokenUsage(7, 9)))!;

        var message = completion["choices"]![0]!["message"]!;
        Assert.Equal(("Let me check.", "think"), (message["content"]!.GetValue<string>(), message["reasoning_content"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"id":"call_1","type":"function","function":{"name":"get","arguments":"{\"a\":1}"}}]"""), message["tool_calls"]));
        Assert.Equal("tool_calls", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(16, completion["usage"]!["total_tokens"]!.GetValue<int>());
        var replayed = StreamReplay.Chunks(Encoding.UTF8.GetBytes(completion.ToJsonString()), new TokenUsage(7, 9)).ToList();
        Assert.Equal([false, false, false, true], replayed.Select(c => c.IsUsageOnly));
    }

    private static string OpenAIJson(string text) =>
        $$"""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"stop"}]}""";
}
