using System.Text;
using Gateway.Testing.Hosting;
using OpenAI.Chat;

namespace Gateway.Tests.Api;

/// <summary>The embedded default config answers with the built-in mock model: what a newcomer sees on first run.</summary>
public sealed class MockProviderEndToEndTests
{
    [Fact]
    public async Task EmbeddedDefault_PlainCompletionWithSdk_AnswersWithUsage()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = GatewayCalls.Sdk(gateway, "mock-gpt", key: "anything");

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Hello there")]);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Contains("mock", completion.Content[0].Text);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.Equal(completion.Content[0].Text.Split(' ').Length, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task EmbeddedDefault_StreamingWithSdk_ConcatenatesToSameTextAsPlain()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = GatewayCalls.Sdk(gateway, "mock-gpt", key: "anything");
        ChatCompletion plain = await client.CompleteChatAsync([new UserChatMessage("Hello there")]);

        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Hello there")]))
        {
            foreach (var part in update.ContentUpdate)
                text.Append(part.Text);
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(plain.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(plain.Usage.TotalTokenCount, usage!.TotalTokenCount);
    }

    [Fact]
    public async Task MockResponseParam_IsReturnedVerbatim()
    {
        await using var gateway = await TestGateway.StartAsync("""
            model_list:
              - model_name: canned
                litellm_params:
                  model: mock/canned
                  mock_response: "Canned answer."
            """);
        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "canned", "x").CompleteChatAsync([new UserChatMessage("hi")]);
        Assert.Equal("Canned answer.", completion.Content[0].Text);
    }
}
