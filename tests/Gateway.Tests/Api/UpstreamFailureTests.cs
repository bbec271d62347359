using System.Diagnostics;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Upstream errors keep their meaning: 429 stays 429 with Retry-After, 5xx becomes 502, a deadline becomes 504.</summary>
public sealed class UpstreamFailureTests
{
    [Fact]
    public async Task Upstream429_Returns429WithRetryAfter()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(429, "Rate limit reached for requests", "rate_limit_exceeded", "requests").WithHeader("retry-after", "7");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 429, "rate_limit_exceeded");
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("Rate limit reached", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Upstream5xx_Returns502(int status)
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(status, "The server had an error", type: "server_error");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 502);
    }

    [Fact]
    public async Task Upstream400_KeepsStatusAndMessage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(400, "Invalid value for 'logit_bias'", "invalid_value");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 400, "invalid_value");
        Assert.Contains("logit_bias", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Upstream401_DoesNotEchoKeyMaterial()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(401, "Incorrect API key provided: sk-upstr*************mnop", "invalid_api_key");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 401);
        Assert.DoesNotContain("sk-", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UpstreamSlowerThanTimeout_Returns504WithinTheTimeout()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("late")) with { DelayBeforeHeaders = TimeSpan.FromSeconds(10) };
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl, "      timeout: 0.5"));

        var clock = Stopwatch.StartNew();
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 504, "upstream_timeout");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task StreamFirstChunkSlowerThanStreamTimeout_Returns504BeforeAnyByte()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Sse(OpenAIWire.Chunk("late")) with { DelayBeforeHeaders = TimeSpan.FromSeconds(10) };
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl, "      stream_timeout: 0.5"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));

        await ErrorAssertions.AssertEnvelopeAsync(response, 504, "upstream_timeout");
    }

    [Fact]
    public async Task StreamFailingBeforeFirstChunk_GetsItsStatusNotAStream()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(429, "slow down").WithHeader("retry-after", "3");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));

        await ErrorAssertions.AssertEnvelopeAsync(response, 429);
    }

    [Fact]
    public async Task UpstreamResetMidStream_EndsWithErrorEventNotDone()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => OpenAIWire.StreamOf("one", "two", "three") with { AbortAfterChunks = 2 };
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"content\":\"one\"", body);
        Assert.Contains("data: {\"error\":{", body);
        Assert.Contains("upstream_stream_interrupted", body);
        Assert.DoesNotContain("[DONE]", body);
        var record = Assert.Single(await UsageRecords.AllAsync(gateway));
        Assert.Equal("failure", record.Status);
    }

    [Fact]
    public async Task UpstreamClosesWithoutDone_IsAnErrorNotATruncation()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Sse(OpenAIWire.RoleChunk(), OpenAIWire.Chunk("partial")) with { SendDone = false };
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("upstream_stream_interrupted", body);
        Assert.DoesNotContain("[DONE]", body);
    }

    [Fact]
    public async Task UnreachableUpstream_Returns502()
    {
        var closedPort = "http://127.0.0.1:9";
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(closedPort));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 502, "upstream_unreachable");
    }

    [Fact]
    public async Task UpstreamGarbageBody_Returns502()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json("<html>oops</html>");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 502, "upstream_invalid_response");
    }
}
