using System.Text;
using Anthropic;
using Anthropic.Models.Messages;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Anthropic;

namespace Gateway.Tests.Providers.Anthropic;

/// <summary>
/// Proves the fake speaks Anthropic's real wire format: the official Anthropic .NET SDK, pointed at the fake,
/// parses its answers. If the fake drifted from the API, these would fail before any gateway test could mislead.
/// </summary>
public sealed class AnthropicSdkFidelityTests
{
    [Fact]
    public async Task Create_AgainstFake_SdkParsesMessageAndUsage()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("Hello from the fake", input: 12, output: 6, cacheRead: 30, cacheWrite: 4)));
        var client = Client(fake);

        var message = await client.Messages.Create(Params());

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Hello from the fake", text!.Text);
        Assert.Equal(12, message.Usage.InputTokens);
        Assert.Equal(30, message.Usage.CacheReadInputTokens);
        Assert.Equal(4, message.Usage.CacheCreationInputTokens);
        Assert.Equal(6, message.Usage.OutputTokens);
        var sent = Assert.Single(fake.Requests);
        Assert.NotNull(sent.Header("anthropic-version"));
    }

    [Fact]
    public async Task CreateStreaming_AgainstFake_SdkParsesEveryEvent()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.TextStream(25, 3, "Hello", " streaming", " world"));
        var client = Client(fake);

        var text = new StringBuilder();
        var sawStop = false;
        await foreach (var streamEvent in client.Messages.CreateStreaming(Params()))
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta))
                text.Append(textDelta!.Text);
            sawStop |= streamEvent.TryPickStop(out _);
        }

        Assert.Equal("Hello streaming world", text.ToString());
        Assert.True(sawStop);
    }

    [Fact]
    public async Task CreateStreaming_ToolUseAndThinkingEvents_SdkParsesThem()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => AnthropicWire.Stream(
            AnthropicWire.MessageStart(), AnthropicWire.ThinkingStart(0), AnthropicWire.ThinkingDelta(0, "Let me think"), AnthropicWire.SignatureDelta(0),
            AnthropicWire.BlockStop(0), AnthropicWire.ToolUseStart(1, "toolu_1", "get_weather"), AnthropicWire.InputJsonDelta(1, "{\"city\":"),
            AnthropicWire.InputJsonDelta(1, "\"Paris\"}"), AnthropicWire.BlockStop(1), AnthropicWire.MessageDelta("tool_use", 20), AnthropicWire.MessageStop()));
        var client = Client(fake);

        var arguments = new StringBuilder();
        var thinking = new StringBuilder();
        await foreach (var streamEvent in client.Messages.CreateStreaming(Params()))
        {
            if (!streamEvent.TryPickContentBlockDelta(out var delta))
                continue;
            if (delta!.Delta.TryPickInputJson(out var json))
                arguments.Append(json!.PartialJson);
            if (delta.Delta.TryPickThinking(out var thought))
                thinking.Append(thought!.Thinking);
        }

        Assert.Equal("{\"city\":\"Paris\"}", arguments.ToString());
        Assert.Equal("Let me think", thinking.ToString());
    }

    [Fact]
    public async Task Create_WrongKey_FakeAnswersAnthropics401()
    {
        await using var fake = await FakeAnthropic.StartAsync(_ => FakeResponse.Json(AnthropicWire.Message("never")));
        var client = new AnthropicClient { ApiKey = "sk-ant-wrong", BaseUrl = fake.BaseUrl, MaxRetries = 0 };

        var error = await Assert.ThrowsAsync<global::Anthropic.Exceptions.AnthropicUnauthorizedException>(() => client.Messages.Create(Params()));

        Assert.Contains("authentication_error", error.Message);
    }

    private static AnthropicClient Client(FakeUpstream fake) => new() { ApiKey = FakeAnthropic.ApiKey, BaseUrl = fake.BaseUrl, MaxRetries = 0 };

    private static MessageCreateParams Params() => new()
    {
        MaxTokens = 256,
        Model = FakeAnthropic.Model,
        Messages = [new UserMessageParam { Content = "Say hello" }],
    };
}
