using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using OpenAI.Chat;

namespace Gateway.Tests.Api;

/// <summary>The official OpenAI .NET SDK, pointed at the gateway, against a fake OpenAI upstream.</summary>
public sealed class OpenAICompatibilityTests
{
    [Fact]
    public async Task PlainCompletion_ViaSdk_ReturnsUpstreamAnswerAndUsage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("Hi from upstream", prompt: 21, completion: 4));
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "gpt-4o-mini").CompleteChatAsync([new UserChatMessage("Say hello")]);

        Assert.Equal("Hi from upstream", completion.Content[0].Text);
        Assert.Equal(21, completion.Usage.InputTokenCount);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        var sent = Assert.Single(fake.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("gpt-4o-mini", sent.Json!["model"]!.GetValue<string>());
        Assert.Equal("Bearer sk-upstream-secret-abcdefghijklmnop", sent.Header("authorization"));
    }

    [Fact]
    public async Task Streaming_ViaSdk_DeliversEveryChunkAndUsage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => OpenAIWire.StreamOf("Hello", " streaming", " world");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in GatewayCalls.Sdk(gateway, "gpt-4o-mini").CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            usage ??= update.Usage;
        }

        Assert.Equal("Hello streaming world", text.ToString());
        Assert.NotNull(usage);
        Assert.Equal(3, usage!.OutputTokenCount);
        Assert.True(Assert.Single(fake.Requests).Json!["stream"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ToolCall_ViaSdk_RoundTripsNameAndArguments()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.ToolCallCompletion("get_weather", """{"city":"Paris"}"""));
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));
        var options = new ChatCompletionOptions { ToolChoice = ChatToolChoice.CreateRequiredChoice() };
        options.Tools.Add(ChatTool.CreateFunctionTool("get_weather", "Weather for a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "gpt-4o-mini").CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        var sent = Assert.Single(fake.Requests).Json!;
        Assert.Equal("get_weather", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("required", sent["tool_choice"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamedToolCall_ViaSdk_ReassemblesArgumentFragments()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Sse(
            OpenAIWire.RoleChunk(),
            OpenAIWire.ToolCallChunk(0, "call_1", "get_weather", ""),
            OpenAIWire.ToolCallChunk(0, null, null, "{\"ci"),
            OpenAIWire.ToolCallChunk(0, null, null, "ty\":\"Paris\"}"),
            OpenAIWire.FinishChunk("tool_calls"),
            OpenAIWire.UsageChunk());
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        var arguments = new StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;
        await foreach (var update in GatewayCalls.Sdk(gateway, "gpt-4o-mini").CompleteChatStreamingAsync([new UserChatMessage("Weather?")]))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                if (call.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                    arguments.Append(fragment.ToString());
            }
            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("""{"city":"Paris"}""", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task UnknownFields_PassThroughBothWaysUnchanged()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("ok", extra: ""","x_upstream_field":{"nested":[1,2,3]}"""));
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));
        var extras = """
            ,"seed":42,"logprobs":true,"top_logprobs":2,"n":1,"user":"u-1","parallel_tool_calls":false,
            "response_format":{"type":"json_object"},"store":false,"x_provider_extra":{"deep":{"list":[true,null,1.5]}}
            """;

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", extra: extras));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"nested":[1,2,3]}"""), body["x_upstream_field"]));
        Assert.Equal("fp_fake", body["system_fingerprint"]!.GetValue<string>());
        var sent = Assert.Single(fake.Requests).Json!;
        var expected = JsonNode.Parse("{" + extras.Trim().TrimStart(',') + "}")!.AsObject();
        foreach (var (name, value) in expected)
            Assert.True(JsonNode.DeepEquals(value, sent[name]), $"field '{name}' changed on the way upstream");
    }

    [Fact]
    public async Task Streaming_WithoutIncludeUsage_HidesUsageChunkButRecordsTokens()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => OpenAIWire.StreamOf("a", "b");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("\"usage\"", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
        Assert.True(Assert.Single(fake.Requests).Json!["stream_options"]!["include_usage"]!.GetValue<bool>());
        var records = await UsageRecords.AllAsync(gateway);
        Assert.Equal(2, Assert.Single(records).CompletionTokens);
    }

    [Fact]
    public async Task Streaming_WithIncludeUsage_ForwardsUsageChunk()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => OpenAIWire.StreamOf("a", "b");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway,
            GatewayCalls.Chat("gpt-4o-mini", stream: true, extra: ""","stream_options":{"include_usage":true}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":10", body);
        Assert.Equal("text/event-stream; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }
}
