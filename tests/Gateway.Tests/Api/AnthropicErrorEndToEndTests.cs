using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Anthropic;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Parameters the Anthropic provider cannot honour, and Anthropic's own errors, reach the client with their meaning intact.</summary>
public sealed class AnthropicErrorEndToEndTests
{
    [Fact]
    public async Task UnsupportedParameter_Returns400NamingItWithoutCallingUpstream()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("never")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", extra: ""","logit_bias":{"50256":-100}"""));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 400, "unsupported_parameter", "logit_bias");
        Assert.Contains("anthropic", error.GetProperty("message").GetString());
        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public async Task UnsupportedParameter_WithDropParams_Returns200AndReportsDropped()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("fine")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl, "      drop_params: true"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", extra: ""","logit_bias":{"50256":-100},"seed":7"""));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("logit_bias,seed", response.Headers.GetValues("x-gateway-dropped-params").Single());
        var sent = Assert.Single(fake.Requests).Json!.AsObject();
        Assert.False(sent.ContainsKey("logit_bias"));
        Assert.False(sent.ContainsKey("seed"));
    }

    [Fact]
    public async Task MapperRefusal_InvalidToolArguments_Returns400NamingThePath()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("never")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));
        const string messages = """
            {"model":"claude","messages":[{"role":"user","content":"hi"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{not json"}}]},
             {"role":"tool","tool_call_id":"t1","content":"x"}]}
            """;

        using var response = await GatewayCalls.PostChatAsync(gateway, messages);

        await ErrorAssertions.AssertEnvelopeAsync(response, 400, param: "messages[1].tool_calls[0].function.arguments");
        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public async Task Upstream429_Returns429WithRetryAfter()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ =>
            AnthropicWire.ErrorResponse(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit").WithHeader("retry-after", "7"));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude"));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 429, "rate_limit_exceeded");
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.Contains("per-minute rate limit", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upstream529Overloaded_Returns503(bool stream)
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.ErrorResponse(529, "overloaded_error", "Overloaded"));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", stream));

        await ErrorAssertions.AssertEnvelopeAsync(response, 503, "upstream_overloaded");
    }

    [Fact]
    public async Task UpstreamRejectsKey_Returns401WithoutKeyMaterial()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("never")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl, apiKey: "sk-ant-api03-wrong-key-abcdefghijklmnop"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude"));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 401, "upstream_authentication");
        Assert.DoesNotContain("sk-ant", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task PromptTooLong_Returns400ContextLengthExceeded()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ =>
            AnthropicWire.ErrorResponse(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 400, "context_length_exceeded");
    }

    [Fact]
    public async Task ErrorEventBeforeFirstToken_ReturnsStatusNotAStream()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(
            AnthropicWire.MessageStart(), AnthropicWire.Ping(), AnthropicWire.ErrorEvent("overloaded_error", "Overloaded")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", stream: true));

        await ErrorAssertions.AssertEnvelopeAsync(response, 503, "upstream_overloaded");
    }

    [Fact]
    public async Task ErrorEventMidStream_EndsWithErrorEventNotDone()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(
            AnthropicWire.MessageStart(), AnthropicWire.TextStart(0), AnthropicWire.TextDelta(0, "partial"), AnthropicWire.ErrorEvent("overloaded_error", "Overloaded")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"content\":\"partial\"", body);
        Assert.Contains("upstream_overloaded", body);
        Assert.DoesNotContain("[DONE]", body);
        Assert.Equal("failure", Assert.Single(await UsageRecords.AllAsync(gateway)).Status);
    }

    [Fact]
    public async Task StreamEndingWithoutMessageStop_EndsWithInterruptedError()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(
            AnthropicWire.MessageStart(), AnthropicWire.TextStart(0), AnthropicWire.TextDelta(0, "cut"), AnthropicWire.BlockStop(0)));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"content\":\"cut\"", body);
        Assert.Contains("upstream_stream_interrupted", body);
        Assert.DoesNotContain("[DONE]", body);
    }
}
