using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.Usage;
using Gateway.Providers.OpenAI;

namespace Gateway.Tests.Providers.OpenAI;

public sealed class OpenAIStreamMapperTests
{
    private const string Deployment = "gpt-4o-primary";

    private static byte[] Chunk(string name) => FixtureFile.Bytes("openai", "stream", name);

    [Theory]
    [InlineData("content-chunk.json")]
    [InlineData("content-chunk-usage-null.json")]
    public void Map_ContentChunk_PassesThroughUnchangedWithoutUsage(string fixture)
    {
        var data = Chunk(fixture);

        var chunk = OpenAIStreamMapper.Map(data, Deployment);

        Assert.True(chunk.Data.Span.SequenceEqual(data));
        Assert.Null(chunk.Usage);
        Assert.False(chunk.IsUsageOnly);
    }

    [Fact]
    public void Map_UsageOnlyChunk_IsUsageOnlyWithUsage()
    {
        var data = Chunk("usage-only-chunk.json");

        var chunk = OpenAIStreamMapper.Map(data, Deployment);

        Assert.True(chunk.IsUsageOnly);
        Assert.Equal(new TokenUsage(2000, 150, CachedReadTokens: 1500, ReasoningTokens: 64), chunk.Usage);
        Assert.True(chunk.Data.Span.SequenceEqual(data));
    }

    [Fact]
    public void Map_UsageWithChoices_NotUsageOnly()
    {
        var chunk = OpenAIStreamMapper.Map(Chunk("usage-with-choices-chunk.json"), Deployment);

        Assert.False(chunk.IsUsageOnly);
        Assert.Equal(new TokenUsage(12, 34), chunk.Usage);
    }

    [Fact]
    public void Map_ErrorMidStream_Throws502Retryable()
    {
        var error = Assert.Throws<GatewayError>(() => OpenAIStreamMapper.Map(Chunk("error-chunk.json"), Deployment));

        Assert.Equal(502, error.StatusCode);
        Assert.Equal(ErrorKind.UpstreamError, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.True(error.AllowsFallback);
        Assert.Equal("server_error", error.Code);
        Assert.Contains(Deployment, error.Message);
        Assert.Contains("The server had an error", error.Message);
    }

    [Fact]
    public void Map_ErrorMidStreamEchoingKey_RedactsKey()
    {
        var error = Assert.Throws<GatewayError>(() => OpenAIStreamMapper.Map(Chunk("error-chunk-with-key.json"), Deployment));

        Assert.Equal(502, error.StatusCode);
        Assert.DoesNotContain("1234567890abcdef", error.Message);
        Assert.Contains("[redacted]", error.Message);
    }

    [Theory]
    [InlineData("{\"usage\": {\"prompt_tokens\": 3,")]
    [InlineData("\"usage\" was here but this is not JSON")]
    [InlineData("{\"error\": oops}")]
    public void Map_NonJsonMentioningUsageOrError_Throws502(string payload)
    {
        var error = Assert.Throws<GatewayError>(() => OpenAIStreamMapper.Map(Encoding.UTF8.GetBytes(payload), Deployment));

        Assert.Equal(502, error.StatusCode);
        Assert.True(error.IsRetryable);
        Assert.Equal("upstream_invalid_response", error.Code);
        Assert.Contains(Deployment, error.Message);
    }

    [Fact]
    public void Map_NonJsonWithoutUsageOrError_PassesThrough()
    {
        var data = Encoding.UTF8.GetBytes("not json at all");

        var chunk = OpenAIStreamMapper.Map(data, Deployment);

        Assert.True(chunk.Data.Span.SequenceEqual(data));
        Assert.Null(chunk.Usage);
    }

    [Theory]
    [InlineData("[DONE]", true)]
    [InlineData("[DONE] ", false)]
    [InlineData("DONE", false)]
    [InlineData("", false)]
    public void IsDone_Payload_DetectsOnlyExactSentinel(string payload, bool expected)
    {
        Assert.Equal(expected, OpenAIStreamMapper.IsDone(Encoding.UTF8.GetBytes(payload)));
    }
}
