using System.Text;
using System.Text.Json;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Serverless;

/// <summary>
/// Every API Gateway sample in <c>events/</c> (used with <c>sam local invoke</c>) is turned into the HTTP request the
/// Lambda Web Adapter sends the app, and answered as a client would expect. Keeps the samples true as the app changes.
/// </summary>
public sealed class ApiGatewayEventTests
{
    private const string Config = """
        model_list:
          - model_name: mock-gpt
            litellm_params: { model: mock/gpt }
          - model_name: mock-embedding
            litellm_params: { model: mock/embedding }
        general_settings:
          master_key: sk-test-master
        """;

    private static IEnumerable<string> ApiEventFiles() =>
        Directory.GetFiles(Path.Combine(Root(), "events"), "*.json").Order()
            .Where(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.TryGetProperty("httpMethod", out _))
            .Select(file => Path.GetFileName(file)!);

    public static TheoryData<string> ApiEvents() => new(ApiEventFiles());

    [Theory]
    [MemberData(nameof(ApiEvents))]
    public async Task ApiEvent_AsTheAdapterForwardsIt_IsAnsweredSuccessfully(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "events", file)));
        await using var gateway = await TestGateway.StartAsync(Config);

        using var response = await gateway.Http.SendAsync(ToAdapterRequest(doc.RootElement));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"{file}: {(int)response.StatusCode} {body}");
        if (doc.RootElement.GetProperty("body").GetString() is { } sent && sent.Contains("\"stream\":true", StringComparison.Ordinal))
        {
            Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString());
            Assert.EndsWith("data: [DONE]\n\n", body);
        }
        else
        {
            Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(body).RootElement.ValueKind);
        }
    }

    [Fact]
    public void ApiEvents_CoverPlainAndStreamingChat_Embeddings_Models_AndAdmin()
    {
        var paths = ApiEventFiles().Select(file => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root(), "events", file)))
            .RootElement.GetProperty("path").GetString()).ToList();
        Assert.Equal(2, paths.Count(p => p == "/v1/chat/completions"));
        Assert.Contains("/v1/embeddings", paths);
        Assert.Contains("/v1/models", paths);
        Assert.Contains(paths, p => p!.StartsWith("/key/", StringComparison.Ordinal));
    }

    /// <summary>What the adapter does with a REST proxy event: method, path (stage stripped) plus query, headers as
    /// sent (Host and Content-Length are the HTTP client's), and the body, base64-decoded when flagged.</summary>
    private static HttpRequestMessage ToAdapterRequest(JsonElement e)
    {
        var query = e.GetProperty("queryStringParameters") is { ValueKind: JsonValueKind.Object } q
            ? "?" + string.Join("&", q.EnumerateObject().Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value.GetString()!)))
            : "";
        var request = new HttpRequestMessage(new HttpMethod(e.GetProperty("httpMethod").GetString()!), e.GetProperty("path").GetString() + query);
        if (e.GetProperty("body").GetString() is { } body)
        {
            var bytes = e.GetProperty("isBase64Encoded").GetBoolean() ? Convert.FromBase64String(body) : Encoding.UTF8.GetBytes(body);
            request.Content = new ByteArrayContent(bytes);
        }
        foreach (var header in e.GetProperty("headers").EnumerateObject())
        {
            if (header.Name is "Host" or "Content-Length")
                continue;
            if (!request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString()))
                request.Content?.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }
        return request;
    }

    private static string Root()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "template.yaml")))
            dir = Path.GetDirectoryName(dir)!;
        return dir;
    }
}
