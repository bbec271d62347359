using System.Diagnostics;
using System.Text.Json;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Fault injection through the real host: retries, fallbacks across providers, cooldowns and the headers that report them.</summary>
public sealed class RoutingEndToEndTests
{
    private static string TwoGroups(string primaryUrl, string router, string primaryExtra = "") => $"""
        model_list:
          - model_name: primary
            litellm_params:
              model: openai/gpt-4o-mini
              api_base: {primaryUrl}/v1
              api_key: sk-upstream-a
        {primaryExtra}
          - model_name: backup
            litellm_params:
              model: mock/backup
              mock_response: "from backup"
        general_settings:
          master_key: {Configs.MasterKey}
        router_settings:
        {router}
        """;

    [Fact]
    public async Task Upstream5xx_RetriesThenFallsBackAcrossProviders()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(500, "boom", type: "server_error");
        await using var gateway = await TestGateway.StartAsync(TwoGroups(fake.BaseUrl, """
              num_retries: 1
              fallbacks: [{"primary": ["backup"]}]
            """));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("primary"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("from backup", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, fake.Calls);
        Assert.Equal("3", Header(response, "x-gateway-attempts"));
        Assert.Equal("backup", Header(response, "x-gateway-fallbacks"));
        var record = Assert.Single(await UsageRecords.AllAsync(gateway));
        Assert.Equal((3, "backup", "mock"), (record.Attempts, record.Fallbacks, record.Provider));
    }

    [Fact]
    public async Task Upstream429WithRetryAfter_WaitsAsToldThenSucceeds()
    {
        await using var fake = await FakeUpstream.StartAsync();
        var calls = 0;
        fake.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? FakeResponse.Error(429, "slow down", "rate_limit_exceeded").WithHeader("retry-after", "1")
            : FakeResponse.Json(OpenAIWire.Completion("after the wait"));
        await using var gateway = await TestGateway.StartAsync(TwoGroups(fake.BaseUrl, "  num_retries: 2"));

        var clock = Stopwatch.StartNew();
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("primary"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}, before Retry-After");
        Assert.Equal("2", Header(response, "x-gateway-attempts"));
    }

    [Fact]
    public async Task UpstreamTimeout_FallsBackWithinTheConfiguredTime()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("late")) with { DelayBeforeHeaders = TimeSpan.FromSeconds(20) };
        await using var gateway = await TestGateway.StartAsync(TwoGroups(fake.BaseUrl, """
              num_retries: 0
              fallbacks: [{"primary": ["backup"]}]
            """, "      timeout: 0.5"));

        var clock = Stopwatch.StartNew();
        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("primary"));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("backup", Header(response, "x-gateway-fallbacks"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AllDeploymentsFailing_MakeExactlyTheConfiguredAttempts()
    {
        await using var a = await FakeUpstream.StartAsync();
        await using var b = await FakeUpstream.StartAsync();
        a.Respond = b.Respond = _ => FakeResponse.Error(503, "down", type: "server_error");
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: flaky
                litellm_params: { model: openai/m, api_base: "{{a.BaseUrl}}/v1", api_key: k }
              - model_name: flaky
                litellm_params: { model: openai/m, api_base: "{{b.BaseUrl}}/v1", api_key: k }
            router_settings:
              num_retries: 2
              allowed_fails: 100
            """);

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("flaky"), key: null);

        await ErrorAssertions.AssertEnvelopeAsync(response, 502);
        Assert.Equal(3, a.Calls + b.Calls);
        Assert.True(a.Calls >= 1 && b.Calls >= 1, "retries should try the other deployment");
    }

    [Fact]
    public async Task CooledDownDeployment_TakesNoTrafficUntilCooldownEnds_ThenRecovers()
    {
        await using var bad = await FakeUpstream.StartAsync();
        await using var good = await FakeUpstream.StartAsync();
        var badFails = true;
        bad.Respond = _ => Volatile.Read(ref badFails) ? FakeResponse.Error(500, "boom") : FakeResponse.Json(OpenAIWire.Completion("recovered"));
        good.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("good"));
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: g
                litellm_params: { model: openai/m, api_base: "{{bad.BaseUrl}}/v1", api_key: k, order: 1 }
              - model_name: g
                litellm_params: { model: openai/m, api_base: "{{good.BaseUrl}}/v1", api_key: k, order: 2 }
            router_settings:
              num_retries: 1
              allowed_fails: 0
              cooldown_time: 1
            """);

        using (var first = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("g"), key: null))
            Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(1, bad.Calls);
        for (var i = 0; i < 5; i++)
            (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("g"), key: null)).Dispose();
        Assert.Equal(1, bad.Calls);

        using var health = await gateway.Http.GetAsync("/health/deployments");
        Assert.Contains("\"state\":\"cooling_down\"", await health.Content.ReadAsStringAsync());

        Volatile.Write(ref badFails, false);
        await Task.Delay(1200);
        using var after = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("g"), key: null);
        Assert.Contains("recovered", await after.Content.ReadAsStringAsync());
        Assert.Equal(2, bad.Calls);
    }

    [Fact]
    public async Task PromptTooLongForSmallModel_GoesToContextWindowFallbackWithoutCallingIt()
    {
        await using var small = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(TwoGroups(small.BaseUrl, """
              context_window_fallbacks: [{"primary": ["backup"]}]
            """, "    model_info: { max_input_tokens: 50 }"));
        var longPrompt = string.Join(' ', Enumerable.Repeat("tokens", 400));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("primary").Replace("Say hello", longPrompt));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(0, small.Calls);
        Assert.Equal("backup", Header(response, "x-gateway-fallbacks"));
    }

    [Fact]
    public async Task Stream_FailingBeforeFirstByte_FallsBackAndStreamsFromFallback()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(500, "boom");
        await using var gateway = await TestGateway.StartAsync(TwoGroups(fake.BaseUrl, """
              num_retries: 0
              fallbacks: [{"primary": ["backup"]}]
            """));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("primary", stream: true));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("\"content\":\"from\"", body);
        Assert.EndsWith("data: [DONE]\n\n", body);
        Assert.Equal("backup", Header(response, "x-gateway-fallbacks"));
    }

    [Fact]
    public async Task PerRequestOptions_FallbacksAndMockTesting_AreHonouredAndNeverForwarded()
    {
        await using var fake = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(TwoGroups(fake.BaseUrl, "  num_retries: 0"));

        using var forced = await GatewayCalls.PostChatAsync(gateway,
            GatewayCalls.Chat("primary", extra: ""","mock_testing_fallbacks":true,"fallbacks":["backup"]"""));
        Assert.Equal(200, (int)forced.StatusCode);
        Assert.Equal(0, fake.Calls);
        Assert.Equal("backup", Header(forced, "x-gateway-fallbacks"));

        using var normal = await GatewayCalls.PostChatAsync(gateway,
            GatewayCalls.Chat("primary", extra: ""","fallbacks":["backup"],"num_retries":1,"timeout":30"""));
        Assert.Equal(200, (int)normal.StatusCode);
        var sent = Assert.Single(fake.Requests).Json!.AsObject();
        Assert.False(sent.ContainsKey("fallbacks") || sent.ContainsKey("num_retries") || sent.ContainsKey("timeout"));
    }

    [Fact]
    public async Task BadInputFromUpstream_IsNeitherRetriedNorFallenBack()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(400, "Invalid 'logit_bias'", "invalid_value");
        await using var gateway = await TestGateway.StartAsync(TwoGroups(fake.BaseUrl, """
              num_retries: 3
              fallbacks: [{"primary": ["backup"]}]
            """));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("primary"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 400);
        Assert.Equal(1, fake.Calls);
    }

    [Fact]
    public async Task DeploymentsHealth_NeedsTheMasterKeyAndListsEveryDeployment()
    {
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt("http://127.0.0.1:9"));
        using var anonymous = await gateway.Http.GetAsync("/health/deployments");
        await ErrorAssertions.AssertEnvelopeAsync(anonymous, 401);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/deployments");
        request.Headers.Authorization = new("Bearer", Configs.MasterKey);
        using var response = await gateway.Http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var names = doc.RootElement.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("model_name").GetString());
        Assert.Equal(["gpt-4o-mini", "mock-gpt"], names);
        Assert.All(doc.RootElement.GetProperty("deployments").EnumerateArray(), d => Assert.Equal("healthy", d.GetProperty("state").GetString()));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
