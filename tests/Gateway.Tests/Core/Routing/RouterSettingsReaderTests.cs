using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Routing;

namespace Gateway.Tests.Core.Routing;

public sealed class RouterSettingsReaderTests
{
    private const string ModelList = """
        model_list:
          - model_name: gpt-4
            litellm_params: {model: mock/gpt-4}
          - model_name: gpt-4o-mini
            litellm_params: {model: mock/gpt-4o-mini}
          - model_name: claude
            litellm_params: {model: mock/claude}

        """;

    private static readonly string[] Providers = ["openai", "mock"];

    private static GatewayConfig Load(string settings) =>
        ConfigLoader.Load(ModelList + settings, "test", _ => null, Providers);

    private static RouterSettings Router(string settings) => Load(settings).Router;

    private static IReadOnlyList<string> Problems(string settings) => Assert.Throws<ConfigException>(() => Load(settings)).Problems;

    [Theory]
    [InlineData("router_settings:\n  fallbacks:\n    - gpt-4: [gpt-4o-mini, claude]\n    - claude: [gpt-4]\n")]
    [InlineData("router_settings:\n  fallbacks:\n    gpt-4: [gpt-4o-mini, claude]\n    claude: gpt-4\n")]
    public void Load_FallbacksAsListOfMappingsOrPlainMapping_ReadsEveryChain(string yaml)
    {
        var fallbacks = Router(yaml).Fallbacks;

        Assert.Equal(["gpt-4o-mini", "claude"], fallbacks["gpt-4"]);
        Assert.Equal(["gpt-4"], fallbacks["claude"]);
        Assert.Equal(2, fallbacks.Count);
    }

    [Fact]
    public void Load_SpecificAndDefaultFallbacks_ReadIntoTheirOwnChains()
    {
        var router = Router("""
            router_settings:
              context_window_fallbacks: [{gpt-4o-mini: [gpt-4]}]
              content_policy_fallbacks: [{gpt-4: [claude]}]
              default_fallbacks: [claude]
            """);

        Assert.Equal(["gpt-4"], router.ContextWindowFallbacks["gpt-4o-mini"]);
        Assert.Equal(["claude"], router.ContentPolicyFallbacks["gpt-4"]);
        Assert.Equal(["claude"], router.DefaultFallbacks);
        Assert.Empty(router.Fallbacks);
    }

    [Fact]
    public void Load_LitellmSettingsOnly_ReadsFallbacksRetriesAndRequestTimeout()
    {
        var router = Router("""
            litellm_settings:
              num_retries: 5
              request_timeout: 30
              fallbacks: [{gpt-4: [claude]}]
            """);

        Assert.Equal(5, router.NumRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), router.Timeout);
        Assert.Equal(["claude"], router.Fallbacks["gpt-4"]);
    }

    [Fact]
    public void Load_BothSections_RouterSettingsWinsAndLitellmFillsTheRest()
    {
        var router = Router("""
            litellm_settings:
              num_retries: 5
              request_timeout: 30
              fallbacks: [{gpt-4: [claude]}]
            router_settings:
              num_retries: 1
              fallbacks: [{gpt-4: [gpt-4o-mini]}]
            """);

        Assert.Equal(1, router.NumRetries);
        Assert.Equal(["gpt-4o-mini"], router.Fallbacks["gpt-4"]);
        Assert.Equal(TimeSpan.FromSeconds(30), router.Timeout);
    }

    [Fact]
    public void Load_UnknownRoutingStrategy_ProblemNamesRoutingStrategy()
    {
        var problem = Assert.Single(Problems("router_settings:\n  routing_strategy: round-robin\n"));

        Assert.StartsWith("router_settings.routing_strategy: unknown strategy 'round-robin'", problem);
    }

    [Theory]
    [InlineData("router_settings:\n  fallbacks: [{gpt-4: [gpt-5]}]\n", "router_settings.fallbacks.gpt-4: fallback 'gpt-5'")]
    [InlineData("litellm_settings:\n  fallbacks:\n    gpt-4: [claude, gpt-5]\n", "litellm_settings.fallbacks.gpt-4: fallback 'gpt-5'")]
    [InlineData("router_settings:\n  fallbacks: [{gpt-5: [gpt-4]}]\n", "router_settings.fallbacks.gpt-5: 'gpt-5' is not a model_name")]
    [InlineData("router_settings:\n  context_window_fallbacks: [{gpt-4: [gpt-5]}]\n", "router_settings.context_window_fallbacks.gpt-4: fallback 'gpt-5'")]
    [InlineData("router_settings:\n  default_fallbacks: [gpt-5]\n", "router_settings.default_fallbacks: fallback 'gpt-5'")]
    public void Load_FallbackNamingUnknownGroup_ProblemNamesItsPath(string yaml, string expectedStart)
    {
        Assert.StartsWith(expectedStart, Assert.Single(Problems(yaml)));
    }

    [Fact]
    public void Load_FallbacksAsPlainListOfGroups_IsReportedNotIgnored()
    {
        // Regression (fixed): RouterSettingsReader.ReadFallbackMap (line 77) drops non-mapping list items silently, so this config loads with no fallbacks at all.
        var problem = Assert.Single(Problems("router_settings:\n  fallbacks: [gpt-4o-mini, claude]\n"));

        Assert.StartsWith("router_settings.fallbacks", problem);
    }

    [Fact]
    public void Load_RetryPolicy_MapsLitellmKeysToErrorKinds()
    {
        var policy = Router("""
            router_settings:
              retry_policy:
                RateLimitErrorRetries: 0
                TimeoutErrorRetries: 4
                InternalServerErrorRetries: 2
                AuthenticationErrorRetries: 1
            """).RetryPolicy;

        Assert.Equal(0, policy[ErrorKind.RateLimited]);
        Assert.Equal(4, policy[ErrorKind.UpstreamTimeout]);
        Assert.Equal(2, policy[ErrorKind.UpstreamError]);
        Assert.Equal(2, policy[ErrorKind.UpstreamUnavailable]);
        Assert.Equal(1, policy[ErrorKind.UpstreamAuthentication]);
        Assert.Equal(5, policy.Count);
    }

    [Fact]
    public void Load_RetryPolicyUnknownKey_ProblemNamesTheKey()
    {
        var problem = Assert.Single(Problems("router_settings:\n  retry_policy:\n    RateLimitErrorRetries: 1\n    TeapotErrorRetries: 2\n"));

        Assert.StartsWith("router_settings.retry_policy.TeapotErrorRetries: unknown key", problem);
    }

    [Fact]
    public void Load_CooldownAllowedFailsStrategyAndBuffer_AreRead()
    {
        var router = Router("""
            router_settings:
              routing_strategy: latency-based-routing
              routing_strategy_args: {lowest_latency_buffer: 0.25}
              cooldown_time: 30
              allowed_fails: 2
              timeout: 12.5
            """);

        Assert.Equal(TimeSpan.FromSeconds(30), router.CooldownTime);
        Assert.Equal(2, router.AllowedFails);
        Assert.Equal("latency-based-routing", router.RoutingStrategy);
        Assert.Equal(0.25, router.LatencyBuffer);
        Assert.Equal(TimeSpan.FromSeconds(12.5), router.Timeout);
    }

    [Fact]
    public void Load_NoRoutingSections_KeepsDefaults()
    {
        var router = Router("");

        Assert.Equal(new RouterSettings().NumRetries, router.NumRetries);
        Assert.Equal(new RouterSettings().AllowedFails, router.AllowedFails);
        Assert.Empty(router.Fallbacks);
        Assert.Empty(router.RetryPolicy);
    }
}
