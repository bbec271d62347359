using System.Runtime.InteropServices;
using System.Text.Json;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Bedrock;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>/v1/embeddings on Bedrock: Titan one text per InvokeModel call, Cohere up to 96 per call, answers in input
/// order and in the encoding the client asked for, token counts from Bedrock's header.</summary>
public sealed class BedrockEmbeddingsEndToEndTests
{
    private static string Config(string url, string model) =>
        FakeBedrock.Config(url, modelName: "embed", model: model);

    /// <summary>Titan answers with [length of the text, index-tag] so the test can tell vectors apart; later inputs answer first.</summary>
    private static FakeResponse Titan(RecordedRequest request)
    {
        var text = request.Json!["inputText"]!.GetValue<string>();
        var delay = TimeSpan.FromMilliseconds(text.Length == 1 ? 300 : 0);
        return FakeResponse.Json($$"""{"embedding":[{{text.Length}}.0,0.5],"embeddingsByType":{"float":[{{text.Length}}.0,0.5]},"inputTextTokenCount":{{text.Length}}}""")
            .WithHeader("X-Amzn-Bedrock-Input-Token-Count", text.Length.ToString()) with { DelayBeforeHeaders = delay };
    }

    [Fact]
    public async Task Titan_ArrayInput_OneCallPerText_AnswersInInputOrder()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(Titan);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, "bedrock/amazon.titan-embed-text-v2:0"));

        using var response = await GatewayCalls.PostChatAsync(gateway,
            """{"model":"embed","input":["a","bb","ccc"],"dimensions":256}""", path: "/v1/embeddings");

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal([1f, 2f, 3f], data.EnumerateArray().Select(d => d.GetProperty("embedding")[0].GetSingle()));
        Assert.Equal([0, 1, 2], data.EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(6, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, fake.Calls);
        Assert.All(fake.Requests, r =>
        {
            Assert.Equal("/model/amazon.titan-embed-text-v2:0/invoke", r.Path);
            Assert.Equal(256, r.Json!["dimensions"]!.GetValue<int>());
            Assert.True(r.Json!["normalize"]!.GetValue<bool>());
            Assert.Contains("/bedrock/aws4_request", r.Header("authorization"));
        });
        Assert.Equal(6, Assert.Single(await UsageRecords.AllAsync(gateway)).PromptTokens);
    }

    [Fact]
    public async Task Titan_Base64Encoding_IsLittleEndianFloat32()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(Titan);
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, "bedrock/amazon.titan-embed-text-v2:0"));

        using var response = await GatewayCalls.PostChatAsync(gateway, """{"model":"embed","input":"hello","encoding_format":"base64"}""", path: "/v1/embeddings");

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var bytes = Convert.FromBase64String(doc.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal([5f, 0.5f], MemoryMarshal.Cast<byte, float>(bytes).ToArray());
    }

    [Fact]
    public async Task Cohere_HundredTexts_AreTwoCallsOf96And4()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(r =>
        {
            var texts = r.Json!["texts"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
            var vectors = string.Join(",", texts.Select(t => $"[{t},1.0]"));
            return FakeResponse.Json($$"""{"id":"e1","response_type":"embeddings_by_type","embeddings":{"float":[{{vectors}}]},"texts":[]}""")
                .WithHeader("X-Amzn-Bedrock-Input-Token-Count", texts.Count.ToString());
        });
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, "bedrock/cohere.embed-english-v3"));
        var inputs = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"{i}\""));

        using var response = await GatewayCalls.PostChatAsync(gateway, $$"""{"model":"embed","input":[{{inputs}}],"input_type":"search_query"}""", path: "/v1/embeddings");

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), doc.RootElement.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("embedding")[0].GetSingle()));
        Assert.Equal(100, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal([4, 96], fake.Requests.Select(r => r.Json!["texts"]!.AsArray().Count).Order());
        Assert.All(fake.Requests, r =>
        {
            Assert.Equal("search_query", r.Json!["input_type"]!.GetValue<string>());
            Assert.Equal("float", r.Json!["embedding_types"]![0]!.GetValue<string>());
        });
    }

    [Theory]
    [InlineData("bedrock/amazon.titan-embed-text-v2:0", """{"model":"embed","input":[1,2,3]}""", "input")]
    [InlineData("bedrock/amazon.titan-embed-text-v2:0", """{"model":"embed","input":"x","dimensions":300}""", "dimensions")]
    [InlineData("bedrock/cohere.embed-english-v3", """{"model":"embed","input":"x","dimensions":256}""", "dimensions")]
    [InlineData("bedrock/anthropic.claude-3-5-haiku-20241022-v1:0", """{"model":"embed","input":"x"}""", "model")]
    public async Task InputTheModelCannotTake_Is400NamingTheField_AndNothingIsSent(string model, string body, string param)
    {
        await using var fake = await FakeUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, model));

        using var response = await GatewayCalls.PostChatAsync(gateway, body, path: "/v1/embeddings");

        await ErrorAssertions.AssertEnvelopeAsync(response, 400, param: param);
        Assert.Equal(0, fake.Calls);
    }

    [Fact]
    public async Task Throttled_IsA429WithBedrocksMessage()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = FakeBedrock.Signed(_ => BedrockWire.Error(429, "ThrottlingException", "Rate exceeded"));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl, "bedrock/amazon.titan-embed-text-v2:0"));

        using var response = await GatewayCalls.PostChatAsync(gateway, """{"model":"embed","input":"x"}""", path: "/v1/embeddings");

        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 429, "rate_limit_exceeded");
        Assert.Contains("Rate exceeded", error.GetProperty("message").GetString());
    }
}
