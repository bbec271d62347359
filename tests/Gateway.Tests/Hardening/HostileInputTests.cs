using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Api;
using Gateway.Tests.Api.Governance;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Hardening;

/// <summary>
/// A corpus of hostile requests, each answered with a 4xx (an OpenAI error envelope whenever the request reaches the
/// app), never a 5xx; the process stays up; and no log line written during the run holds key material or prompt text.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private const string Canary = "PROMPT-CANARY-7f3a";
    private TestGateway _gateway = null!;
    private string _virtualKey = "";

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync($"""
            model_list:
              - model_name: mock-gpt
                litellm_params:
                  model: mock/gpt
            general_settings:
              master_key: {Configs.MasterKey}
              max_request_size_mb: 12
            """);
        (_virtualKey, _) = await GovernanceFixtures.CreateKeyAsync(_gateway, k => k with { MaxBudget = 10m });
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    public static TheoryData<string, string> Bodies() => new()
    {
        { "malformed json", "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"" + Canary + "\"}" },
        { "not an object", "[1,2,3]" },
        { "model wrong type", "{\"model\":5,\"messages\":[]}" },
        { "messages a string", "{\"model\":\"mock-gpt\",\"messages\":\"" + Canary + "\"}" },
        { "huge max_tokens", "{\"model\":\"mock-gpt\",\"max_tokens\":1e308,\"messages\":[{\"role\":\"user\",\"content\":\"" + Canary + "\"}]}" },
        { "number overflow", "{\"model\":\"mock-gpt\",\"temperature\":1e400,\"messages\":[{\"role\":\"user\",\"content\":\"" + Canary + "\"}]}" },
        { "negative n", "{\"model\":\"mock-gpt\",\"n\":-99999999999,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}" },
        { "unknown role", "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"root\",\"content\":\"" + Canary + "\"}]}" },
        { "null everywhere", "{\"model\":null,\"messages\":null,\"temperature\":null,\"tools\":null}" },
        { "null message", "{\"model\":\"mock-gpt\",\"messages\":[null]}" },
        { "null content parts", "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"user\",\"content\":[null,{\"type\":null}]}]}" },
        { "tool call garbage", "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":1,\"function\":\"x\"}]}]}" },
        { "deep nesting", "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"x\":" + new string('[', 5000) + new string(']', 5000) + "}" },
        { "duplicate keys", "{\"model\":\"mock-gpt\",\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"" + Canary + "\"}]}" },
        { "stream wrong type", "{\"model\":\"mock-gpt\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}" },
        { "key in body", "{\"model\":\"mock-gpt\",\"api_key\":\"" + Configs.MasterKey + "\",\"messages\":[{\"role\":\"nobody\",\"content\":\"x\"}]}" },
        { "empty", "" },
        { "whitespace", "   \n\t  " },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task HostileBody_GetsA4xxEnvelope(string name, string body)
    {
        using var response = await Post(body);
        await AssertEnvelope4xx(response, name);
    }

    [Fact]
    public async Task TenMegabyteString_AndHundredThousandMessages_Get4xxOrAnswer_NeverA5xx()
    {
        var huge = "{\"model\":\"mock-gpt\",\"max_tokens\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 10 * 1024 * 1024) + "\"}]}";
        using var big = await Post(huge);
        await AssertEnvelope4xx(big, "10 MB string");

        var many = new StringBuilder("{\"model\":\"mock-gpt\",\"temperature\":\"hot\",\"messages\":[");
        for (var i = 0; i < 100_000; i++)
            many.Append(i == 0 ? "" : ",").Append("{\"role\":\"user\",\"content\":\"m\"}");
        using var count = await Post(many.Append("]}").ToString());
        await AssertEnvelope4xx(count, "100k messages");
    }

    [Fact]
    public async Task InvalidUtf8_IsA400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new ByteArrayContent([.. "{\"model\":\"mock-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}]}"u8]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        using var response = await _gateway.Http.SendAsync(request);
        await AssertEnvelope4xx(response, "invalid utf-8");
    }

    [Theory]
    [InlineData("/key/../../etc/passwd")]
    [InlineData("/key/info?key=../../../../etc/passwd")]
    [InlineData("/key/%2e%2e/%2e%2e/admin")]
    [InlineData("/team/info?team_id=%00%0d%0a")]
    [InlineData("/v1/models/..%2f..%2fetc%2fpasswd")]
    [InlineData("/spend/logs?start_date=../../x")]
    public async Task PathTraversal_IsA4xx(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        using var response = await _gateway.Http.SendAsync(request);
        Assert.InRange((int)response.StatusCode, 400, 499);
    }

    [Fact]
    public async Task KeysInUnexpectedPlaces_AreRefusedAndNeverLogged()
    {
        using var inQuery = await _gateway.Http.GetAsync($"/v1/models?api_key={Configs.MasterKey}");
        using var asBasic = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        asBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + _virtualKey)));
        using var basic = await _gateway.Http.SendAsync(asBasic);
        using var inCookie = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        inCookie.Headers.Add("Cookie", "key=" + _virtualKey);
        using var cookie = await _gateway.Http.SendAsync(inCookie);

        Assert.Equal((401, 401, 401), ((int)inQuery.StatusCode, (int)basic.StatusCode, (int)cookie.StatusCode));
        AssertLogsClean();
    }

    [Fact]
    public async Task HeaderInjectionAndOversizedHeaders_Are4xx_AndTheProcessStaysUp()
    {
        var port = new Uri(_gateway.BaseUrl).Port;
        foreach (var raw in new[]
        {
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Configs.MasterKey + "\r\nx-request-id: a\rInjected: 1\r\nContent-Length: 2\r\n\r\n{}",
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', 200_000) + "\r\n\r\n",
            "GET /v1/models\u0000 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        })
        {
            var status = await SendRawAsync(port, raw);
            Assert.InRange(status, 400, 499);
        }
        using var health = await _gateway.Http.GetAsync("/health/liveliness");
        Assert.Equal(200, (int)health.StatusCode);
    }

    private static async Task<int> SendRawAsync(int port, string raw)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(raw));
        }
        catch (IOException)
        {
            // the server may reset while a huge header is still being written; its status line is read below
        }
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        var line = Encoding.ASCII.GetString(buffer, 0, read);
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<HttpResponseMessage> Post(string body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _virtualKey);
        return _gateway.Http.SendAsync(request);
    }

    private async Task AssertEnvelope4xx(HttpResponseMessage response, string name)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{name}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.DoesNotContain(Canary, text);
        AssertLogsClean();
    }

    private void AssertLogsClean()
    {
        var logs = _gateway.Logs.All;
        Assert.DoesNotContain(Configs.MasterKey, logs);
        Assert.DoesNotContain(_virtualKey, logs);
        Assert.DoesNotContain(Canary, logs);
    }
}
