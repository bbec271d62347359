using System.Text;
using Gateway.Core.Governance;
using Gateway.Core.OpenAI;
using Gateway.Core.Pricing;
using Gateway.Core.Routing;
using Gateway.Core.Storage;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api.Governance;

/// <summary>Keys created straight in the store, and a priced request whose actual cost equals its worst case.</summary>
internal static class GovernanceFixtures
{
    public const int MaxTokens = 20;

    public static string PricedConfig(string fakeUrl, string extra = "") => $"""
        model_list:
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {fakeUrl}/v1
              api_key: sk-upstream
        general_settings:
          master_key: {Configs.MasterKey}
        router_settings:
          num_retries: 0
        {extra}
        """;

    public static string Body(string content = "Say hello") =>
        $$"""{"model":"gpt-4o-mini","max_tokens":{{MaxTokens}},"messages":[{"role":"user","content":"{{content}}"}]}""";

    /// <summary>The prompt tokens the gateway estimates for <see cref="Body"/>; the fake reports exactly these.</summary>
    public static long PromptTokens(string body)
    {
        using var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(body));
        return ContextWindowCheck.CountPromptTokens(request);
    }

    /// <summary>Catalog cost of a call that used <paramref name="prompt"/> and <see cref="MaxTokens"/> completion tokens.</summary>
    public static decimal Cost(long prompt)
    {
        Assert.True(PriceCatalog.Default.TryGet("openai", "gpt-4o-mini", null, out var price));
        return prompt * price.Input + MaxTokens * price.Output;
    }

    public static async Task<(string Raw, VirtualKeyRecord Record)> CreateKeyAsync(TestGateway gateway, Func<VirtualKeyRecord, VirtualKeyRecord> configure)
    {
        var raw = VirtualKeys.Generate();
        var hash = VirtualKeys.Hash(raw);
        var record = configure(new VirtualKeyRecord { KeyHash = hash, KeyId = VirtualKeys.IdOf(hash), CreatedAt = DateTimeOffset.UtcNow });
        Assert.True(await gateway.Service<IKeyStore>().CreateAsync(record, CancellationToken.None));
        return (raw, record);
    }

    /// <summary>Waits out the last seconds of a minute so a per-minute limit test runs inside one window.</summary>
    public static async Task AvoidMinuteBoundaryAsync()
    {
        var second = DateTimeOffset.UtcNow.Second;
        if (second >= 50)
            await Task.Delay(TimeSpan.FromSeconds(61 - second));
    }
}
