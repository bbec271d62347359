using System.Text.Json;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Anthropic;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Fallback across providers, both ways: an OpenAI group falls back to Anthropic and an Anthropic group to OpenAI,
/// each answering in OpenAI's format through the same request.</summary>
public sealed class CrossProviderFallbackTests
{
    private static string Config(string openaiUrl, string anthropicUrl) => $$"""
        model_list:
          - model_name: gpt
            litellm_params: { model: openai/gpt-4o-mini, api_base: "{{openaiUrl}}/v1", api_key: sk-upstream-openai }
          - model_name: claude
            litellm_params: { model: anthropic/{{FakeAnthropic.Model}}, api_base: "{{anthropicUrl}}", api_key: {{FakeAnthropic.ApiKey}} }
        general_settings:
          master_key: {{Configs.MasterKey}}
        router_settings:
          num_retries: 0
          fallbacks: [{"gpt": ["claude"]}, {"claude": ["gpt"]}]
        """;

    [Theory]
    [InlineData("gpt", "claude", "from claude")]
    [InlineData("claude", "gpt", "from gpt")]
    public async Task FailingGroup_FallsBackToTheOtherProvider(string primary, string fallback, string expected)
    {
        var failOpenAI = primary == "gpt";
        await using var openai = await FakeUpstream.StartAsync();
        openai.Respond = _ => failOpenAI ? FakeResponse.Error(503, "overloaded", type: "server_error") : FakeResponse.Json(OpenAIWire.Completion("from gpt"));
        await using var anthropic = await FakeAnthropic.StartAsync(FakeAnthropic.Authenticated(_ => failOpenAI
            ? FakeResponse.Json(AnthropicWire.Message("from claude"))
            : AnthropicWire.ErrorResponse(529, "overloaded_error", "Overloaded")));
        await using var gateway = await TestGateway.StartAsync(Config(openai.BaseUrl, anthropic.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat(primary));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(expected, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(fallback, response.Headers.GetValues("x-gateway-fallbacks").Single());
        Assert.Equal(1, openai.Calls);
        Assert.Equal(1, anthropic.Calls);
    }
}
