using Gateway.Core.Configuration;
using Gateway.Core.Routing;
using Gateway.Providers.Anthropic;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Providers.Anthropic;

public sealed class AnthropicConfigTests
{
    [Fact]
    public async Task Startup_AnthropicWithoutKeyOrBase_FailsNamingApiKey()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => TestGateway.StartAsync("""
            model_list:
              - model_name: claude
                litellm_params:
                  model: anthropic/claude-sonnet-4-20250514
            """));

        Assert.Contains(error.Problems, p => p.StartsWith("model_list[0].litellm_params.api_key:") && p.Contains("anthropic"));
    }

    [Theory]
    [InlineData(null, "https://api.anthropic.com/v1/messages")]
    [InlineData("http://proxy.local", "http://proxy.local/v1/messages")]
    [InlineData("http://proxy.local/v1", "http://proxy.local/v1/messages")]
    [InlineData("http://proxy.local/v1/messages", "http://proxy.local/v1/messages")]
    public void Endpoint_ApiBaseForms_ResolveToMessagesUrl(string? apiBase, string expected)
    {
        var deployment = new Deployment { Id = "d", GroupName = "g", Provider = "anthropic", ModelId = "m", ApiBase = apiBase };

        Assert.Equal(expected, AnthropicProvider.Endpoint(deployment).ToString());
    }
}
