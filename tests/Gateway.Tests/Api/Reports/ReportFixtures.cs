using System.Net.Http.Headers;
using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api.Reports;

/// <summary>Usage records and rollups seeded straight into a test gateway's store, and raw report calls.</summary>
internal static class ReportFixtures
{
    /// <summary>Config with the local rollup timer off, so only the test decides when rollups run.</summary>
    public static string Config(string gatewayExtra = "") => $"""
        model_list:
          - model_name: mock-gpt
            litellm_params:
              model: mock/mock-gpt
        general_settings:
          master_key: {Configs.MasterKey}
        gateway_settings:
          rollup_interval_minutes: 0
        {gatewayExtra}
        """;

    public static UsageRecord Record(string id, DateTimeOffset at, string? team, decimal cost, string model = "gpt-4o-mini", string status = "success",
        string key = "key-1", IReadOnlyList<string>? tags = null, string? cache = null) => new()
    {
        RequestId = id, Timestamp = at, KeyId = key, TeamId = team, RequestedModel = model, ModelGroup = model, Provider = "openai",
        ProviderModel = model, Status = status, HttpStatus = status == "success" ? 200 : 502, PromptTokens = 100, CompletionTokens = 20,
        Cost = cost, Tags = tags ?? [], CacheStatus = cache, SavedCost = cache == "hit" ? 0.01m : 0m,
    };

    public static async Task AppendAsync(TestGateway gateway, params UsageRecord[] records)
    {
        foreach (var r in records)
            await gateway.Service<IUsageStore>().AppendAsync(r, CancellationToken.None);
    }

    public static DateTimeOffset Noon(DateOnly day) => new(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    public static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, HttpMethod method, string path, string? key = Configs.MasterKey, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await gateway.Http.SendAsync(request);
    }
}
