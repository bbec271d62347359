using Gateway.Core.Configuration;
using Gateway.Tests.Api;
using Gateway.Tests.Storage.Contract;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Serverless;

/// <summary><c>aws_secret/&lt;id&gt;[#field]</c> config values, read from Secrets Manager through SSM's reference path
/// (moto stands in for both), refreshed after rotation without a restart, and never echoed in errors.</summary>
public sealed class AwsSecretTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private static string Config(string fakeUrl, string secretPrefix) => $"""
        model_list:
          - model_name: gpt-4o-mini
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {fakeUrl}/v1
              api_key: aws_secret/{secretPrefix}/providers#openai
        general_settings:
          master_key: aws_secret/{secretPrefix}/master
        gateway_settings:
          secret_refresh_seconds: 1
        router_settings:
          num_retries: 0
        """;

    [Fact]
    public async Task ProviderAndMasterKeys_ComeFromSecrets_AndRotationIsPickedUp()
    {
        if (!moto.Server.Available) return;
        var prefix = "gw-" + Guid.NewGuid().ToString("N")[..8];
        await moto.Server.PutSecretAsync($"{prefix}/providers", """{"openai":"sk-upstream-one","anthropic":"sk-ant-x"}""");
        await moto.Server.PutSecretAsync($"{prefix}/master", "sk-master-from-secret");
        await using var fake = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, prefix), secretResolver: moto.Server.SecretResolver);

        using var first = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"), key: "sk-master-from-secret");
        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal("Bearer sk-upstream-one", fake.Requests.Last().Header("authorization"));

        await moto.Server.PutSecretAsync($"{prefix}/providers", """{"openai":"sk-upstream-two"}""");
        await moto.Server.PutSecretAsync($"{prefix}/master", "sk-master-rotated");
        await Eventually.TrueAsync(async () =>
        {
            using var probe = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"), key: "sk-master-rotated");
            return probe.IsSuccessStatusCode;
        }, "the rotated master key was not picked up");
        Assert.Equal("Bearer sk-upstream-two", fake.Requests.Last().Header("authorization"));
        using var old = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"), key: "sk-master-from-secret");
        Assert.Equal(401, (int)old.StatusCode);
        Assert.DoesNotContain("sk-upstream", gateway.Logs.All);
        Assert.DoesNotContain("sk-master", gateway.Logs.All);
    }

    [Fact]
    public async Task MissingSecretOrField_FailsStartupNamingItButNoValue()
    {
        if (!moto.Server.Available) return;
        var prefix = "gw-" + Guid.NewGuid().ToString("N")[..8];
        await moto.Server.PutSecretAsync($"{prefix}/providers", """{"anthropic":"sk-ant-secret-value"}""");

        var error = await Assert.ThrowsAsync<ConfigException>(() => TestGateway.StartAsync(Config("http://127.0.0.1:9", prefix), secretResolver: moto.Server.SecretResolver));

        Assert.Contains($"aws_secret/{prefix}/providers#openai", error.Message);
        Assert.Contains($"aws_secret/{prefix}/master", error.Message);
        Assert.DoesNotContain("sk-ant-secret-value", error.Message);
    }

    [Fact]
    public async Task AnEnvironmentVariable_MayNameTheSecret_NeverHoldIt()
    {
        if (!moto.Server.Available) return;
        var prefix = "gw-" + Guid.NewGuid().ToString("N")[..8];
        await moto.Server.PutSecretAsync($"{prefix}/master-key", """{"key":"sk-generated-by-the-stack"}""");
        var env = new Dictionary<string, string> { ["GATEWAY_MASTER_KEY"] = $"aws_secret/{prefix}/master-key#key" };
        await using var gateway = await TestGateway.StartAsync("""
            model_list:
              - model_name: mock-gpt
                litellm_params: { model: mock/gpt }
            general_settings:
              master_key: os.environ/GATEWAY_MASTER_KEY
            """, env, secretResolver: moto.Server.SecretResolver);

        using var ok = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: "sk-generated-by-the-stack");
        using var pointer = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt"), key: $"aws_secret/{prefix}/master-key#key");

        Assert.Equal((200, 401), ((int)ok.StatusCode, (int)pointer.StatusCode));
    }

    [Theory]
    [InlineData("aws_secret/prod/openai", "prod/openai", null)]
    [InlineData("aws_secret/prod/keys#openai", "prod/keys", "openai")]
    public void Reference_Parses(string text, string id, string? field)
    {
        Assert.True(SecretValue.TryParseReference(text, out var parsedId, out var parsedField));
        Assert.Equal((id, field), (parsedId, parsedField));
    }

    [Theory]
    [InlineData("aws_secret/")]
    [InlineData("aws_secret/x#")]
    [InlineData("os.environ/X")]
    [InlineData("sk-literal")]
    public void NonReferences_DoNotParse(string text) => Assert.False(SecretValue.TryParseReference(text, out _, out _));
}
