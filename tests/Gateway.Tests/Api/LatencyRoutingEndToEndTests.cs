using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>latency-based-routing through the real host: after each deployment has been measured, the faster fake takes the traffic.</summary>
public sealed class LatencyRoutingEndToEndTests
{
    [Fact]
    public async Task LatencyBasedRouting_PrefersTheFasterFake()
    {
        await using var fast = await FakeUpstream.StartAsync();
        await using var slow = await FakeUpstream.StartAsync();
        fast.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("fast")) with { DelayBeforeHeaders = TimeSpan.FromMilliseconds(5) };
        slow.Respond = _ => FakeResponse.Json(OpenAIWire.Completion("slow")) with { DelayBeforeHeaders = TimeSpan.FromMilliseconds(150) };
        await using var gateway = await TestGateway.StartAsync($$"""
            model_list:
              - model_name: g
                litellm_params: { model: openai/m, api_base: "{{fast.BaseUrl}}/v1", api_key: k }
              - model_name: g
                litellm_params: { model: openai/m, api_base: "{{slow.BaseUrl}}/v1", api_key: k }
            router_settings:
              routing_strategy: latency-based-routing
              num_retries: 0
            """);

        // Warm-up: the first request on each deployment includes connection setup and may look slow.
        for (var i = 0; i < 40; i++)
            (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("g"), key: null)).Dispose();
        var (fastBefore, slowBefore) = (fast.Calls, slow.Calls);
        for (var i = 0; i < 40; i++)
            (await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("g"), key: null)).Dispose();

        var (fastShare, slowShare) = (fast.Calls - fastBefore, slow.Calls - slowBefore);
        Assert.True(slow.Calls >= 1, "the slow deployment was never measured");
        Assert.True(fastShare >= 30, $"fast {fastShare}, slow {slowShare} after warm-up: latency-based routing should favour the faster deployment");
    }
}
