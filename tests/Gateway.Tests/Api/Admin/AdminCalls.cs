using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api.Admin;

internal static class AdminCalls
{
    public static async Task<(int Status, JsonElement Body)> PostAsync(TestGateway gateway, string path, string json, string key = Configs.MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await gateway.Http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static async Task<(int Status, JsonElement Body)> GetAsync(TestGateway gateway, string path, string key = Configs.MasterKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await gateway.Http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    public static async Task<int> ChatStatusAsync(TestGateway gateway, string key) =>
        (int)(await GatewayCalls.PostChatAsync(gateway, Governance.GovernanceFixtures.Body(), key)).StatusCode;
}
