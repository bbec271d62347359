using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Anthropic;
using Gateway.Testing.Hosting;
using OpenAI.Chat;

namespace Gateway.Tests.Api;

/// <summary>The official OpenAI .NET SDK, pointed at the gateway, against a fake Anthropic Messages API.</summary>
public sealed class AnthropicEndToEndTests
{
    [Fact]
    public async Task PlainCompletion_ViaSdk_TranslatesRequestAndAnswer()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("Hi from Claude", input: 21, output: 4)));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude").CompleteChatAsync(
            [new SystemChatMessage("Be brief"), new UserChatMessage("Say hello")]);

        Assert.Equal("Hi from Claude", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(21, completion.Usage.InputTokenCount);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        var sent = Assert.Single(fake.Requests);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(FakeAnthropic.ApiKey, sent.Header("x-api-key"));
        Assert.Equal("2023-06-01", sent.Header("anthropic-version"));
        Assert.Null(sent.Header("authorization"));
        var body = sent.Json!;
        Assert.Equal(FakeAnthropic.Model, body["model"]!.GetValue<string>());
        Assert.Equal(64000, body["max_tokens"]!.GetValue<int>());
        Assert.Equal("Be brief", body["system"]![0]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"role":"user","content":[{"type":"text","text":"Say hello"}]}]"""), body["messages"]));
    }

    [Fact]
    public async Task Streaming_ViaSdk_DeliversEveryTokenAndUsage()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.TextStream(25, 3, "Hello", " streaming", " world"));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        var options = new ChatCompletionOptions();
        await foreach (var update in GatewayCalls.Sdk(gateway, "claude").CompleteChatStreamingAsync([new UserChatMessage("Say hello")], options))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal("Hello streaming world", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(25, usage!.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        Assert.True(Assert.Single(fake.Requests).Json!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ToolCall_ViaSdk_RoundTripsNameAndArguments()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.ToolUseMessage("get_weather", """{"city":"Paris"}""", "toolu_1")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice(), AllowParallelToolCalls = false };
        options.Tools.Add(WeatherTool());

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude").CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("toolu_1", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        var sent = Assert.Single(fake.Requests).Json!;
        Assert.Equal("get_weather", sent["tools"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("object", sent["tools"]![0]!["input_schema"]!["type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"any","disable_parallel_tool_use":true}"""), sent["tool_choice"]));
    }

    [Fact]
    public async Task StreamedToolCall_ViaSdk_ReassemblesArgumentFragments()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(
            AnthropicWire.MessageStart(), AnthropicWire.TextStart(0), AnthropicWire.TextDelta(0, "Checking."), AnthropicWire.BlockStop(0),
            AnthropicWire.ToolUseStart(1, "toolu_9", "get_weather"), AnthropicWire.InputJsonDelta(1, ""), AnthropicWire.InputJsonDelta(1, "{\"ci"),
            AnthropicWire.InputJsonDelta(1, "ty\":\"Paris\"}"), AnthropicWire.BlockStop(1), AnthropicWire.MessageDelta("tool_use", 30), AnthropicWire.MessageStop()));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));
        var options = new ChatCompletionOptions();
        options.Tools.Add(WeatherTool());

        var arguments = new StringBuilder();
        string? name = null, id = null;
        ChatFinishReason? finish = null;
        await foreach (var update in GatewayCalls.Sdk(gateway, "claude").CompleteChatStreamingAsync([new UserChatMessage("Weather?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                if (call.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                    arguments.Append(fragment.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("toolu_9", id);
        Assert.Equal("""{"city":"Paris"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task ToolResultTurn_ViaSdk_SendsToolUseThenUserToolResult()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("It is sunny.")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));
        var options = new ChatCompletionOptions();
        options.Tools.Add(WeatherTool());
        ChatMessage[] history =
        [
            new UserChatMessage("Weather in Paris?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("toolu_1", "get_weather", BinaryData.FromString("""{"city":"Paris"}"""))]),
            new ToolChatMessage("toolu_1", "sunny, 24C"),
            new UserChatMessage("Thanks, summarise."),
        ];

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude").CompleteChatAsync(history, options);

        Assert.Equal("It is sunny.", completion.Content[0].Text);
        var messages = Assert.Single(fake.Requests).Json!["messages"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny, 24C"},{"type":"text","text":"Thanks, summarise."}]}]
            """), messages), messages.ToJsonString());
    }

    [Fact]
    public async Task ImageDataUrl_ViaSdk_SentAsBase64Source()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("A red pixel.")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude").CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is this?"), ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        Assert.Equal("A red pixel.", completion.Content[0].Text);
        var image = Assert.Single(fake.Requests).Json!["messages"]![0]!["content"]![1]!;
        Assert.Equal("image", image["type"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""{"type":"base64","media_type":"image/png","data":"{{Convert.ToBase64String(png)}}"}"""), image["source"]));
    }

    [Fact]
    public async Task CacheUsage_ViaSdk_MatchesFakeNumbersWithoutDoubleCounting()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("ok", input: 10, output: 5, cacheRead: 1000, cacheWrite: 200)));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude").CompleteChatAsync([new UserChatMessage("Say hello")]);
        using var raw = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude"));
        var usage = JsonNode.Parse(await raw.Content.ReadAsStringAsync())!["usage"]!;

        Assert.Equal(1210, completion.Usage.InputTokenCount);
        Assert.Equal(1000, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(1215, completion.Usage.TotalTokenCount);
        Assert.Equal(200, usage["prompt_tokens_details"]!["cache_creation_tokens"]!.GetValue<long>());
        var record = (await UsageRecords.AllAsync(gateway))[0];
        Assert.Equal((1210, 5, 1000, 200), (record.PromptTokens, record.CompletionTokens, record.CachedReadTokens, record.CacheWriteTokens));
    }

    [Fact]
    public async Task CacheUsage_Streaming_FinalUsageChunkMatchesFakeNumbers()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(AnthropicWire.MessageStart(input: 10, cacheRead: 1000, cacheWrite: 200),
            AnthropicWire.TextStart(0), AnthropicWire.TextDelta(0, "ok"), AnthropicWire.BlockStop(0), AnthropicWire.MessageDelta("end_turn", 5), AnthropicWire.MessageStop()));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        ChatTokenUsage? usage = null;
        await foreach (var update in GatewayCalls.Sdk(gateway, "claude").CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
            usage ??= update.Usage;

        Assert.Equal(1210, usage!.InputTokenCount);
        Assert.Equal(1000, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(5, usage.OutputTokenCount);
        Assert.Equal(200, Assert.Single(await UsageRecords.AllAsync(gateway)).CacheWriteTokens);
    }

    [Fact]
    public async Task ReasoningEffort_Plain_SendsThinkingAndSurfacesReasoningContent()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.ThinkingMessage("First, 2+2 is 4.", "4")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", extra: ""","reasoning_effort":"low","max_tokens":2048"""));
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("4", message["content"]!.GetValue<string>());
        Assert.Equal("First, 2+2 is 4.", message["reasoning_content"]!.GetValue<string>());
        var sent = Assert.Single(fake.Requests).Json!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"enabled","budget_tokens":1024}"""), sent["thinking"]));
        Assert.Equal(2048, sent["max_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task ReasoningEffort_Streaming_SurfacesReasoningContentDeltas()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(AnthropicWire.MessageStart(), AnthropicWire.ThinkingStart(0),
            AnthropicWire.ThinkingDelta(0, "Think"), AnthropicWire.ThinkingDelta(0, "ing."), AnthropicWire.SignatureDelta(0), AnthropicWire.BlockStop(0),
            AnthropicWire.TextStart(1), AnthropicWire.TextDelta(1, "4"), AnthropicWire.BlockStop(1), AnthropicWire.MessageDelta(), AnthropicWire.MessageStop()));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("claude", stream: true, extra: ",\"reasoning_effort\":\"high\""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"reasoning_content\":\"Think\"", body);
        Assert.Contains("\"reasoning_content\":\"ing.\"", body);
        Assert.Contains("\"content\":\"4\"", body);
        Assert.DoesNotContain("signature", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
        Assert.Equal(16384, Assert.Single(fake.Requests).Json!["thinking"]!["budget_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task ResponseFormatJsonSchema_ViaSdk_ReturnsForcedToolInputAsContent()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.ToolUseMessage("city_info", """{"city":"Paris","country":"FR"}""", text: "")));
        await using var gateway = await TestGateway.StartAsync(FakeAnthropic.Config(fake.BaseUrl));
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("city_info",
                BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string"}}}""")),
        };

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "claude").CompleteChatAsync([new UserChatMessage("Capital of France?")], options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        Assert.Equal("""{"city":"Paris","country":"FR"}""", completion.Content[0].Text);
        var sent = Assert.Single(fake.Requests).Json!;
        Assert.Equal("city_info", sent["tools"]![0]!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"tool","name":"city_info"}"""), sent["tool_choice"]));
    }

    private static ChatTool WeatherTool() => ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
}
