using System.ClientModel;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Testing.Hosting;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Tests.Api;

/// <summary>Ways tests call the gateway: the official OpenAI SDK, or raw HTTP for what an SDK would hide.</summary>
internal static class GatewayCalls
{
    public static ChatClient Sdk(TestGateway gateway, string model, string key = Configs.MasterKey) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.BaseUrl + "/v1"),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });

    public static Task<HttpResponseMessage> PostChatAsync(TestGateway gateway, string json, string? key = Configs.MasterKey,
        string path = "/v1/chat/completions", HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return gateway.Http.SendAsync(request, completion);
    }

    /// <summary>Starts a stream, reads <paramref name="events"/> data lines, then hangs up (a client leaving mid-stream).</summary>
    public static async Task LeaveStreamAfterAsync(TestGateway gateway, string json, int events = 2)
    {
        var response = await PostChatAsync(gateway, json, completion: HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = 0;
        while (seen < events && await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                seen++;
        reader.Dispose();
        response.Dispose();
    }

    public static string Chat(string model, bool stream = false, string extra = "") =>
        $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Say hello"}]{{extra}}}""";
}
