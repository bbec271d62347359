using Gateway.Core.Storage;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api.Governance;

/// <summary>What a virtual key may do: its role, model allowlist, aliases, expiry, blocking, and end-user budgets.</summary>
public sealed class KeyAccessTests : IAsyncLifetime
{
    private FakeUpstream _fake = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(_fake.BaseUrl, "gateway_settings:\n  key_cache_ttl_seconds: 0"));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task ReportsKey_CannotCallModels()
    {
        var (raw, _) = await GovernanceFixtures.CreateKeyAsync(_gateway, k => k with { Permissions = "reports" });
        using var response = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body(), raw);
        await ErrorAssertions.AssertEnvelopeAsync(response, 403, "permission_denied");
        Assert.Equal(0, _fake.Calls);
    }

    [Fact]
    public async Task ModelAllowlist_RefusesOtherModels_AndAliasesMapToConfiguredOnes()
    {
        var (raw, _) = await GovernanceFixtures.CreateKeyAsync(_gateway, k => k with
        {
            Models = ["gpt-4o-mini"],
            Aliases = new Dictionary<string, string> { ["fast"] = "gpt-4o-mini" },
        });
        using var aliased = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body().Replace("\"gpt-4o-mini\"", "\"fast\""), raw);
        Assert.Equal(200, (int)aliased.StatusCode);
        Assert.Equal("gpt-4o-mini", Assert.Single(_fake.Requests).Json!["model"]!.GetValue<string>());

        var (narrow, _) = await GovernanceFixtures.CreateKeyAsync(_gateway, k => k with { Models = ["other-model"] });
        using var refused = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body(), narrow);
        await ErrorAssertions.AssertEnvelopeAsync(refused, 403);
    }

    [Fact]
    public async Task ExpiredKey_Returns401_AndBlockedKey_Returns403()
    {
        var (expired, _) = await GovernanceFixtures.CreateKeyAsync(_gateway, k => k with { Expires = DateTimeOffset.UtcNow.AddSeconds(-1) });
        using var a = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body(), expired);
        await ErrorAssertions.AssertEnvelopeAsync(a, 401);

        var (blocked, record) = await GovernanceFixtures.CreateKeyAsync(_gateway, k => k with { Blocked = true });
        using var b = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body(), blocked);
        await ErrorAssertions.AssertEnvelopeAsync(b, 403);

        await _gateway.Service<IKeyStore>().UpdateAsync(record with { Blocked = false }, CancellationToken.None);
        using var c = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body(), blocked);
        Assert.Equal(200, (int)c.StatusCode);
    }

    [Fact]
    public async Task UnknownVirtualKey_Returns401()
    {
        using var response = await GatewayCalls.PostChatAsync(_gateway, GovernanceFixtures.Body(), "sk-not-a-real-key-0000000000000000");
        await ErrorAssertions.AssertEnvelopeAsync(response, 401, "invalid_api_key");
    }

    [Fact]
    public async Task EndUserBudget_FromUserFieldOrHeader_IsEnforced()
    {
        var prompt = GovernanceFixtures.PromptTokens(GovernanceFixtures.Body());
        _fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("ok", prompt: (int)prompt, completion: GovernanceFixtures.MaxTokens));
        var cost = GovernanceFixtures.Cost(prompt);
        await _gateway.Service<ICustomerStore>().PutAsync(new CustomerRecord { UserId = "end-user-1", MaxBudget = cost * 1.5m }, CancellationToken.None);
        var withUser = GovernanceFixtures.Body().Replace("\"max_tokens\"", "\"user\":\"end-user-1\",\"max_tokens\"");

        using var first = await GatewayCalls.PostChatAsync(_gateway, withUser);
        using var second = await GatewayCalls.PostChatAsync(_gateway, withUser);

        Assert.Equal(200, (int)first.StatusCode);
        var error = await ErrorAssertions.AssertEnvelopeAsync(second, 429, "insufficient_quota");
        Assert.Contains("end user 'end-user-1'", error.GetProperty("message").GetString());
    }
}
