using System.Text;
using System.Text.Json;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Bedrock;
using Gateway.Testing.Hosting;
using OpenAI.Chat;
using ES = Gateway.Testing.Fakes.Bedrock.BedrockEventStream;

namespace Gateway.Tests.Api;

/// <summary>ConverseStream through the gateway: signed requests to <c>/converse-stream</c>, event-stream frames decoded
/// and forwarded as OpenAI chunks as they arrive, exception frames and cut connections surfaced, never hidden.</summary>
public sealed class BedrockStreamingEndToEndTests
{
    [Fact]
    public async Task Stream_ViaSdk_ReassemblesTextAndRecordsUsage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(ES.TextAnswer(25, 3, "Hello", " from", " Bedrock")));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in GatewayCalls.Sdk(gateway, "claude-bedrock").CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello from Bedrock", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        var sent = Assert.Single(fake.Requests);
        Assert.Equal("/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/converse-stream", sent.Path);
        Assert.Contains("/us-west-2/bedrock/aws4_request", sent.Header("authorization"));
        Assert.Equal("hi", sent.Json!["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        var record = Assert.Single(await UsageRecords.AllAsync(gateway));
        Assert.Equal(("success", true, 25L, 3L), (record.Status, record.Stream, record.PromptTokens, record.CompletionTokens));
    }

    [Fact]
    public async Task Stream_UsageChunkShownOnlyWhenAskedFor()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(ES.TextAnswer(10, 2, "ok")));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));

        using var plain = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true));
        using var withUsage = await GatewayCalls.PostChatAsync(gateway,
            GatewayCalls.Chat("claude-bedrock", stream: true, extra: ""","stream_options":{"include_usage":true}"""));

        var plainBody = await plain.Content.ReadAsStringAsync();
        var usageBody = await withUsage.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"usage\":{", plainBody);
        Assert.EndsWith("data: [DONE]\n\n", plainBody);
        Assert.Contains("\"prompt_tokens\":10", usageBody);
    }

    [Fact]
    public async Task Stream_ToolCall_ViaSdk_ArgumentsArriveInFragments()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(ES.MessageStart(), ES.ToolStart(0, "tooluse_9", "get_weather"),
            ES.ToolInput(0, "{\"city\""), ES.ToolInput(0, ":\"Paris\"}"), ES.BlockStop(0), ES.MessageStop("tool_use"), ES.Metadata(40, 9)));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}""")));

        var arguments = new StringBuilder();
        string? id = null, name = null;
        ChatFinishReason? finish = null;
        await foreach (var update in GatewayCalls.Sdk(gateway, "claude-bedrock").CompleteChatStreamingAsync([new UserChatMessage("Weather?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                id ??= call.ToolCallId;
                name ??= call.FunctionName;
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal(("tooluse_9", "get_weather"), (id, name));
        Assert.Equal("Paris", JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task ThrottlingFrameBeforeFirstToken_IsA429NotAStream()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(ES.MessageStart(), ES.Exception("throttlingException", "Too many tokens, please wait")));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 429, "rate_limit_exceeded");
        Assert.Contains("Too many tokens", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ThrottlingFrameBeforeFirstToken_FallsBackToTheNextGroup()
    {
        await using var bedrock = await FakeUpstream.StartAsync();
        await using var openai = await FakeUpstream.StartAsync();
        bedrock.Respond = FakeBedrock.Signed(_ => ES.Response(ES.MessageStart(), ES.Exception("throttlingException", "slow down")));
        openai.Respond = _ => FakeResponse.Sse(OpenAIWire.Chunk("from openai"), OpenAIWire.FinishChunk("stop"));
        var extra = $"""
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4o-mini
                  api_base: {openai.BaseUrl}/v1
                  api_key: sk-upstream
            """;
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(bedrock.BaseUrl, extra)
            .Replace("router_settings:\n  num_retries: 0", "router_settings:\n  num_retries: 0\n  fallbacks: [{\"claude-bedrock\": [\"gpt\"]}]"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("from openai", await response.Content.ReadAsStringAsync());
        Assert.Equal("gpt", response.Headers.GetValues("x-gateway-fallbacks").Single());
    }

    [Fact]
    public async Task ApplicationProfileArn_IsEscapedIntoOnePathSegment_AndARetryIsSignedAfresh()
    {
        const string arn = "arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/a1b2c3";
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => fake.Calls == 1
            ? BedrockWire.Error(503, "ServiceUnavailableException", "busy")
            : ES.Response(ES.TextAnswer(5, 1, "ok")));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl, model: "bedrock/" + arn)
            .Replace("num_retries: 0", "num_retries: 1"));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Contains("\"content\":\"ok\""), body);
        var requests = fake.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r =>
        {
            Assert.Equal("/model/arn:aws:bedrock:us-west-2:123456789012:application-inference-profile%2Fa1b2c3/converse-stream", r.Path);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", r.Header("authorization"));
        });
    }

    [Fact]
    public async Task ExceptionFrameMidStream_EndsWithErrorEventNotDone()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(ES.MessageStart(), ES.Text(0, "partial"),
            ES.Exception("modelStreamErrorException", "model crashed")));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"content\":\"partial\"", body);
        Assert.Contains("upstream_model_error", body);
        Assert.DoesNotContain("[DONE]", body);
        Assert.Equal("failure", Assert.Single(await UsageRecords.AllAsync(gateway)).Status);
    }

    [Fact]
    public async Task ConnectionCutInsideAFrame_EndsWithInterruptedError()
    {
        await using var fake = await FakeUpstream.StartAsync();
        var cut = ES.Text(0, "never whole");
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(ES.MessageStart(), ES.Text(0, "cut"), cut[..10]) with { AbortAfterChunks = 0 });
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"content\":\"cut\"", body);
        Assert.Contains("upstream_stream_interrupted", body);
        Assert.DoesNotContain("[DONE]", body);
    }

    [Fact]
    public async Task FramesAreForwardedAsTheyArrive_NotBuffered()
    {
        var gap = TimeSpan.FromMilliseconds(300);
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => ES.Response(gap, ES.TextAnswer(5, 3, "one", "two", "three")));
        await using var gateway = await TestGateway.StartAsync(FakeBedrock.Config(fake.BaseUrl));

        var arrivals = new List<TimeSpan>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", stream: true),
            completion: HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.Contains("\"content\":", StringComparison.Ordinal))
                arrivals.Add(clock.Elapsed);

        Assert.Equal(3, arrivals.Count);
        Assert.True(arrivals[1] - arrivals[0] >= gap * 0.75, $"second chunk came {arrivals[1] - arrivals[0]} after the first");
        Assert.True(arrivals[2] - arrivals[1] >= gap * 0.75, $"third chunk came {arrivals[2] - arrivals[1]} after the second");
    }
}
