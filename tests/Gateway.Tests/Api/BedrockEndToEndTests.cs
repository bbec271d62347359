using System.Diagnostics;
using System.Text.Json;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Bedrock;
using Gateway.Testing.Hosting;
using OpenAI.Chat;

namespace Gateway.Tests.Api;

/// <summary>Bedrock Converse through the gateway with the OpenAI SDK, against a fake that checks SigV4 and speaks
/// Converse's JSON and rest-json errors; boto3 proves the fake faithful.</summary>
public sealed class BedrockEndToEndTests
{
    private static string Config(string fakeUrl, string extra = "") => FakeBedrock.Config(fakeUrl, extra);

    [Fact]
    public async Task PlainCompletion_ViaSdk_IsSignedForBedrockAndMapped()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => FakeResponse.Json(BedrockWire.Converse("Hi from Bedrock", input: 20, output: 4, cacheRead: 100, cacheWrite: 10)));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude-bedrock").CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hi")], new ChatCompletionOptions { MaxOutputTokenCount = 50, Temperature = 0.2f });

        Assert.Equal("Hi from Bedrock", completion.Content[0].Text);
        Assert.Equal(130, completion.Usage.InputTokenCount);
        Assert.Equal(100, completion.Usage.InputTokenDetails.CachedTokenCount);
        var sent = Assert.Single(fake.Requests);
        Assert.Equal("/model/us.anthropic.claude-3-5-haiku-20241022-v1:0/converse", sent.Path); // the fake sees the decoded path
        Assert.Contains("/us-west-2/bedrock/aws4_request", sent.Header("authorization"));
        var body = sent.Json!;
        Assert.Equal("Be brief.", body["system"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Say hi", body["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(50, body["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        var record = Assert.Single(await UsageRecords.AllAsync(gateway));
        Assert.Equal((130L, 4L, 100L, 10L), (record.PromptTokens, record.CompletionTokens, record.CachedReadTokens, record.CacheWriteTokens));
    }

    [Fact]
    public async Task ToolCall_ViaSdk_RoundTripsThroughToolUse()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => FakeResponse.Json(BedrockWire.ToolUse("tooluse_1", "get_weather", """{"city":"Paris"}""")));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}""")));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude-bedrock").CompleteChatAsync([new UserChatMessage("Weather?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal(("tooluse_1", "get_weather"), (call.Id, call.FunctionName));
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        var sent = Assert.Single(fake.Requests).Json!;
        Assert.Equal("get_weather", sent["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>());
        Assert.NotNull(sent["toolConfig"]!["toolChoice"]!["any"]);
    }

    [Fact]
    public async Task ToolHistoryWithoutTools_IsAcceptedWithAPlaceholderToolConfig()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => FakeResponse.Json(BedrockWire.Converse("It is sunny.")));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var body = """
            {"model":"claude-bedrock","messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"t1","content":"sunny"}]}
            """;

        using var response = await GatewayCalls.PostChatAsync(gateway, body);

        Assert.Equal(200, (int)response.StatusCode);
        var sent = Assert.Single(fake.Requests).Json!;
        Assert.Equal("t1", sent["messages"]![1]!["content"]![0]!["toolUse"]!["toolUseId"]!.GetValue<string>());
        Assert.Equal("t1", sent["messages"]![2]!["content"]![0]!["toolResult"]!["toolUseId"]!.GetValue<string>());
        Assert.NotNull(sent["toolConfig"]);
    }

    [Theory]
    [InlineData(429, "ThrottlingException", 429, "rate_limit_exceeded")]
    [InlineData(400, "ValidationException", 400, "invalid_request")]
    [InlineData(403, "AccessDeniedException", 403, "upstream_access_denied")]
    [InlineData(404, "ResourceNotFoundException", 404, "model_not_found")]
    [InlineData(503, "ServiceUnavailableException", 503, "upstream_unavailable")]
    [InlineData(500, "InternalServerException", 502, "upstream_error")]
    public async Task UpstreamErrors_MapByType(int status, string type, int expected, string code)
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => BedrockWire.Error(status, type, "details"));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock"));

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, expected, code);
        if (type == "AccessDeniedException")
            Assert.Contains("us-west-2", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task UnsupportedParameter_Is400NamingIt()
    {
        await using var fake = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        using var logitBias = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock", extra: ""","logit_bias":{"1":1}"""));
        await ErrorAssertions.AssertEnvelopeAsync(logitBias, 400, "unsupported_parameter", "logit_bias");
        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public async Task BedrockGroup_FallsBackToOpenAI_AndOpenAIToBedrock()
    {
        await using var bedrock = await FakeUpstream.StartAsync();
        await using var openai = await FakeUpstream.StartAsync();
        var bedrockDown = true;
        bedrock.Respond = FakeBedrock.Signed(_ => bedrockDown
            ? BedrockWire.Error(503, "ServiceUnavailableException", "busy")
            : FakeResponse.Json(BedrockWire.Converse("from bedrock")));
        openai.Respond = _ => bedrockDown ? FakeResponse.Json(OpenAIWire.Completion("from openai")) : FakeResponse.Error(500, "down");
        var extra = $"""
              - model_name: gpt
                litellm_params:
                  model: openai/gpt-4o-mini
                  api_base: {openai.BaseUrl}/v1
                  api_key: sk-upstream
            """;
        await using var gateway = await TestGateway.StartAsync(Config(bedrock.BaseUrl, extra).Replace("router_settings:\n  num_retries: 0",
            "router_settings:\n  num_retries: 0\n  allowed_fails: 100\n  fallbacks: [{\"claude-bedrock\": [\"gpt\"]}, {\"gpt\": [\"claude-bedrock\"]}]"));

        using var toOpenAI = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude-bedrock"));
        Assert.Contains("from openai", await toOpenAI.Content.ReadAsStringAsync());
        bedrockDown = false;
        using var toBedrock = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt"));
        Assert.Contains("from bedrock", await toBedrock.Content.ReadAsStringAsync());
        Assert.Equal("claude-bedrock", toBedrock.Headers.GetValues("x-gateway-fallbacks").Single());
    }

    [Fact]
    public async Task ImageUrlPointingInside_IsRefusedAndNeverFetched()
    {
        await using var fake = await FakeUpstream.StartAsync();
        await using var inside = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var body = """{"model":"claude-bedrock","messages":[{"role":"user","content":[{"type":"text","text":"what is this?"},{"type":"image_url","image_url":{"url":"URL/secret.png"}}]}]}"""
            .Replace("URL", inside.BaseUrl);

        using var response = await GatewayCalls.PostChatAsync(gateway, body);

        await ErrorAssertions.AssertEnvelopeAsync(response, 400, "invalid_image_url", "messages[0].content[1].image_url");
        Assert.Equal(0, inside.Calls);
        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public async Task DataUrlImage_IsSentAsBytes()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => FakeResponse.Json(BedrockWire.Converse("a cat")));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var body = """{"model":"claude-bedrock","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}""";

        using var response = await GatewayCalls.PostChatAsync(gateway, body);

        Assert.Equal(200, (int)response.StatusCode);
        var image = Assert.Single(fake.Requests).Json!["messages"]![0]!["content"]![0]!["image"]!;
        Assert.Equal(("png", "iVBORw0KGgo="), (image["format"]!.GetValue<string>(), image["source"]!["bytes"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FakeBedrock_IsAcceptedByBoto3()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(r => r.Path switch
        {
            _ when r.Path.Contains("throttle-me") => BedrockWire.Error(429, "ThrottlingException", "Too many requests"),
            _ when r.Path.Contains("throttle-stream") => BedrockEventStream.Response(BedrockEventStream.MessageStart(),
                BedrockEventStream.Exception("throttlingException", "Too many tokens")),
            _ when r.Path.Contains("tool-stream") => BedrockEventStream.Response(BedrockEventStream.MessageStart(),
                BedrockEventStream.ToolStart(0, "tooluse_1", "get_weather"), BedrockEventStream.ToolInput(0, "{\"city\":"),
                BedrockEventStream.ToolInput(0, "\"Paris\"}"), BedrockEventStream.BlockStop(0), BedrockEventStream.MessageStop("tool_use"),
                BedrockEventStream.Metadata(9, 9)),
            _ when r.Path.EndsWith("/converse-stream", StringComparison.Ordinal) =>
                BedrockEventStream.Response(BedrockEventStream.TextAnswer(20, 4, "hello", " from", " fake", " bedrock")),
            _ when r.Path.EndsWith("/invoke", StringComparison.Ordinal) => FakeResponse.Json("""{"embedding":[5.0,0.5],"inputTextTokenCount":1}"""),
            _ => FakeResponse.Json(BedrockWire.Converse("hello from fake bedrock", input: 20, cacheRead: 7)),
        });
        var script = Path.Combine(RepoRoot(), "tests", "bedrock_compat", "check_fake_bedrock.py");
        using var process = Process.Start(new ProcessStartInfo("python3", [script, fake.BaseUrl]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Functions.sln")))
            dir = Path.GetDirectoryName(dir)!;
        return dir;
    }
}
