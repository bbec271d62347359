using Gateway.Core.Storage;
using Gateway.Tests.Api.Governance;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api.Admin;

/// <summary>The admin API end to end: a key from creation to deletion, with its limits, blocking and regeneration.</summary>
public sealed class KeyLifecycleTests : IAsyncLifetime
{
    private FakeUpstream _fake = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(GovernanceFixtures.PricedConfig(_fake.BaseUrl, "gateway_settings:\n  key_cache_ttl_seconds: 60"));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task Key_CreateUseLimitBlockUnblockRegenerateDelete()
    {
        var (status, created) = await AdminCalls.PostAsync(_gateway, "/key/generate", """{"key_alias":"ci","models":["gpt-4o-mini"],"metadata":{"owner":"qa"}}""");
        Assert.Equal(200, status);
        var raw = created.GetProperty("key").GetString()!;
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith("sk-", raw);
        Assert.True(raw.Length >= 46, "256 bits of randomness need at least 43 base64url characters");
        var stored = (await _gateway.Service<IKeyStore>().ListAsync(null, 100, null, CancellationToken.None)).Keys;
        Assert.DoesNotContain(stored, k => k.KeyHash == raw || k.KeyId == raw || k.Metadata.Values.Contains(raw));
        Assert.Equal(200, await AdminCalls.ChatStatusAsync(_gateway, raw));

        await AdminCalls.PostAsync(_gateway, "/key/update", $$"""{"key":"{{raw}}","rpm_limit":1}""");
        await GovernanceFixtures.AvoidMinuteBoundaryAsync();
        var first = await AdminCalls.ChatStatusAsync(_gateway, raw);
        var second = await AdminCalls.ChatStatusAsync(_gateway, raw);
        Assert.Contains(429, new[] { first, second });
        await AdminCalls.PostAsync(_gateway, "/key/update", $$"""{"key":"{{token}}","rpm_limit":null}""");

        Assert.Equal(200, (await AdminCalls.PostAsync(_gateway, "/key/block", $$"""{"key":"{{raw}}"}""")).Status);
        Assert.Equal(403, await AdminCalls.ChatStatusAsync(_gateway, raw));
        await AdminCalls.PostAsync(_gateway, "/key/unblock", $$"""{"key":"{{raw}}"}""");
        Assert.Equal(200, await AdminCalls.ChatStatusAsync(_gateway, raw));

        var (_, regenerated) = await AdminCalls.PostAsync(_gateway, $"/key/{raw}/regenerate", "{}");
        var newRaw = regenerated.GetProperty("key").GetString()!;
        Assert.Equal("ci", regenerated.GetProperty("key_alias").GetString());
        Assert.Equal(401, await AdminCalls.ChatStatusAsync(_gateway, raw));
        Assert.Equal(200, await AdminCalls.ChatStatusAsync(_gateway, newRaw));

        var (_, deleted) = await AdminCalls.PostAsync(_gateway, "/key/delete", $$"""{"keys":["{{newRaw}}"]}""");
        Assert.Single(deleted.GetProperty("deleted_keys").EnumerateArray());
        Assert.Equal(401, await AdminCalls.ChatStatusAsync(_gateway, newRaw));
    }

    [Fact]
    public async Task Key_WithShortDuration_ExpiresAndThenGets401()
    {
        var (_, created) = await AdminCalls.PostAsync(_gateway, "/key/generate", """{"duration":"1s"}""");
        var raw = created.GetProperty("key").GetString()!;
        Assert.Equal(200, await AdminCalls.ChatStatusAsync(_gateway, raw));
        await Task.Delay(1200);
        Assert.Equal(401, await AdminCalls.ChatStatusAsync(_gateway, raw));
    }

    [Fact]
    public async Task ReportsKey_IsRefusedOnModelsAndAdmin_AdminKeyCanManageKeys()
    {
        var (_, reports) = await AdminCalls.PostAsync(_gateway, "/key/generate", """{"permissions":"reports"}""");
        var reportsKey = reports.GetProperty("key").GetString()!;
        Assert.Equal(403, await AdminCalls.ChatStatusAsync(_gateway, reportsKey));
        Assert.Equal(403, (await AdminCalls.PostAsync(_gateway, "/key/generate", "{}", reportsKey)).Status);
        Assert.Equal(403, (await AdminCalls.GetAsync(_gateway, "/key/list", reportsKey)).Status);

        var (_, admin) = await AdminCalls.PostAsync(_gateway, "/key/generate", """{"permissions":{"role":"admin"}}""");
        Assert.Equal(200, (await AdminCalls.PostAsync(_gateway, "/key/generate", "{}", admin.GetProperty("key").GetString()!)).Status);
    }

    [Theory]
    [InlineData("""{"max_budget":-1}""", "max_budget")]
    [InlineData("""{"max_budget":5,"soft_budget":6}""", "soft_budget")]
    [InlineData("""{"models":["no-such-model"]}""", "models")]
    [InlineData("""{"budget_duration":"2w"}""", "budget_duration")]
    [InlineData("""{"duration":"forever"}""", "duration")]
    [InlineData("""{"permissions":"root"}""", "permissions")]
    [InlineData("""{"rpm_limit":"many"}""", "rpm_limit")]
    [InlineData("""{"expires":"2001-01-01T00:00:00Z"}""", "expires")]
    [InlineData("""{"team_id":"ghost-team"}""", "team_id")]
    [InlineData("""{"aliases":{"fast":"no-such-model"}}""", "aliases")]
    public async Task Generate_WithBadInput_Returns400NamingTheField(string body, string param)
    {
        var (status, error) = await AdminCalls.PostAsync(_gateway, "/key/generate", body);
        Assert.Equal(400, status);
        Assert.Equal(param, error.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task TeamAndKeyInfo_ShowExactSpendAfterACall()
    {
        var prompt = GovernanceFixtures.PromptTokens(GovernanceFixtures.Body());
        _fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("ok", prompt: (int)prompt, completion: GovernanceFixtures.MaxTokens));
        await AdminCalls.PostAsync(_gateway, "/team/new", """{"team_id":"finance","max_budget":10,"budget_duration":"1mo"}""");
        var (_, created) = await AdminCalls.PostAsync(_gateway, "/key/generate", """{"team_id":"finance","max_budget":5,"budget_duration":"1d"}""");
        var raw = created.GetProperty("key").GetString()!;

        Assert.Equal(200, await AdminCalls.ChatStatusAsync(_gateway, raw));

        var expected = GovernanceFixtures.Cost(prompt);
        var (_, keyInfo) = await AdminCalls.GetAsync(_gateway, $"/key/info?key={created.GetProperty("token").GetString()}");
        var (_, teamInfo) = await AdminCalls.GetAsync(_gateway, "/team/info?team_id=finance");
        Assert.Equal(expected, keyInfo.GetProperty("spend").GetDecimal());
        Assert.Equal(0m, keyInfo.GetProperty("reserved").GetDecimal());
        Assert.Equal(expected, teamInfo.GetProperty("spend").GetDecimal());
        Assert.False(keyInfo.TryGetProperty("key", out _), "key/info must never show the raw key");
    }

    [Fact]
    public async Task KeyList_PagesByTeam_AndCustomerGetsABudget()
    {
        await AdminCalls.PostAsync(_gateway, "/team/new", """{"team_id":"t-list"}""");
        for (var i = 0; i < 3; i++)
            await AdminCalls.PostAsync(_gateway, "/key/generate", """{"team_id":"t-list"}""");
        var (_, page1) = await AdminCalls.GetAsync(_gateway, "/key/list?team_id=t-list&page_size=2");
        Assert.Equal(2, page1.GetProperty("keys").GetArrayLength());
        var next = page1.GetProperty("next_page_token").GetString();
        var (_, page2) = await AdminCalls.GetAsync(_gateway, $"/key/list?team_id=t-list&page_size=2&page_token={Uri.EscapeDataString(next!)}");
        Assert.Equal(1, page2.GetProperty("keys").GetArrayLength());

        var (status, customer) = await AdminCalls.PostAsync(_gateway, "/customer/new", """{"user_id":"u-9","max_budget":0.000001}""");
        Assert.Equal(200, status);
        Assert.Equal("u-9", customer.GetProperty("user_id").GetString());
        var (_, info) = await AdminCalls.GetAsync(_gateway, "/customer/info?end_user_id=u-9");
        Assert.Equal(0m, info.GetProperty("spend").GetDecimal());
    }
}
