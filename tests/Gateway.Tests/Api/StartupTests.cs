using Gateway.Core.Configuration;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

public sealed class StartupTests
{
    [Fact]
    public async Task InvalidConfig_StopsStartupListingEveryProblem()
    {
        var error = await Assert.ThrowsAsync<ConfigException>(() => TestGateway.StartAsync("""
            model_list:
              - model_name: a
                litellm_params:
                  model: nosuch/model
              - model_name: b
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/MISSING_KEY
            """));
        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("model_list[0].litellm_params.model:") && p.Contains("nosuch"));
        Assert.Contains(error.Problems, p => p.StartsWith("model_list[1].litellm_params.api_key:") && p.Contains("MISSING_KEY"));
    }

    [Fact]
    public async Task UnknownKeys_WarnOnceEach_AndNoMasterKeyWarnsLoudly()
    {
        await using var gateway = await TestGateway.StartAsync("""
            model_list:
              - model_name: m
                litellm_params:
                  model: mock/m
                  frobnicate: 3
            surprise_section: {}
            """);
        var warnings = gateway.Logs.Lines.Where(l => l.Contains("config warning")).ToList();
        Assert.Single(warnings, w => w.Contains("model_list[0].litellm_params.frobnicate"));
        Assert.Single(warnings, w => w.Contains("surprise_section"));
        Assert.Contains(gateway.Logs.Lines, l => l.Contains("NO MASTER KEY CONFIGURED"));
    }

    [Fact]
    public async Task EnvironmentReferences_AreResolved()
    {
        await using var gateway = await TestGateway.StartAsync("""
            model_list:
              - model_name: m
                litellm_params:
                  model: mock/m
            general_settings:
              master_key: os.environ/GW_MASTER
            """, new Dictionary<string, string> { ["GW_MASTER"] = "sk-from-env-123" });
        using var ok = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("m"), key: "sk-from-env-123");
        using var bad = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("m"), key: "os.environ/GW_MASTER");
        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal(401, (int)bad.StatusCode);
    }
}
