using System.Text.Json;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using OpenAI.Embeddings;

namespace Gateway.Tests.Api;

/// <summary>POST /v1/embeddings on an OpenAI-compatible upstream: body forwarded with only the model replaced, answer passed through.</summary>
public sealed class EmbeddingsEndToEndTests
{
    private const string Answer = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":"AAAAPwAAgL4="}],"model":"text-embedding-3-small","usage":{"prompt_tokens":3,"total_tokens":3}}""";

    [Fact]
    public async Task Base64Encoding_IsForwardedAndAnsweredUnchanged()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(Answer);
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway,
            """{"model":"gpt-4o-mini","input":"hello","encoding_format":"base64","dimensions":2}""", path: "/v1/embeddings");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("AAAAPwAAgL4=", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("embedding").GetString());
        var sent = Assert.Single(fake.Requests);
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Equal("base64", sent.Json!["encoding_format"]!.GetValue<string>());
        Assert.Equal(2, sent.Json!["dimensions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Sdk_GeneratesEmbedding_AndUsageIsRecorded()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(Answer);
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));
        var client = new EmbeddingClient("gpt-4o-mini", new System.ClientModel.ApiKeyCredential(Configs.MasterKey),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") });

        var embedding = await client.GenerateEmbeddingAsync("hello");

        Assert.Equal([0.5f, -0.25f], embedding.Value.ToFloats().ToArray());
        Assert.Equal(3, Assert.Single(await UsageRecords.AllAsync(gateway)).PromptTokens);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o-mini"}""", "input")]
    [InlineData("""{"model":"gpt-4o-mini","input":[]}""", "input")]
    [InlineData("""{"model":"gpt-4o-mini","input":[1,"a"]}""", "input[1]")]
    [InlineData("""{"model":"gpt-4o-mini","input":"x","encoding_format":"hex"}""", "encoding_format")]
    [InlineData("""{"model":"gpt-4o-mini","input":"x","dimensions":0}""", "dimensions")]
    public async Task BadInput_Returns400NamingTheField(string body, string param)
    {
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt("http://127.0.0.1:9"));
        using var response = await GatewayCalls.PostChatAsync(gateway, body, path: "/v1/embeddings");
        await ErrorAssertions.AssertEnvelopeAsync(response, 400, param: param);
    }

    [Fact]
    public async Task EmbeddedDefault_MockEmbedding_IsDeterministicUnitLength_FloatAndBase64()
    {
        await using var gateway = await TestGateway.StartAsync();
        var client = new EmbeddingClient("mock-embedding", new System.ClientModel.ApiKeyCredential("anything"),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") });

        var first = (await client.GenerateEmbeddingsAsync(["same text", "other text"])).Value;
        var again = (await client.GenerateEmbeddingAsync("same text")).Value;
        using var base64 = await GatewayCalls.PostChatAsync(gateway, """{"model":"mock-embedding","input":"same text","encoding_format":"base64"}""",
            key: null, path: "/v1/embeddings");

        var vector = first[0].ToFloats().ToArray();
        Assert.Equal(8, vector.Length);
        Assert.Equal(vector, again.ToFloats().ToArray());
        Assert.NotEqual(vector, first[1].ToFloats().ToArray());
        Assert.InRange(Math.Sqrt(vector.Sum(v => (double)v * v)), 0.999, 1.001);
        var encoded = JsonDocument.Parse(await base64.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!;
        var decoded = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String(encoded)).ToArray();
        Assert.Equal(vector, decoded);
    }
}
