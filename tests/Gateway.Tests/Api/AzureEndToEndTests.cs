using System.Text;
using Gateway.Core.Configuration;
using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Gateway.Tests.Api;

/// <summary>Azure OpenAI through the gateway with the OpenAI SDK: deployment in the path, api-version in the query, api-key header.</summary>
public sealed class AzureEndToEndTests
{
    private static string Config(string fakeUrl) => $"""
        model_list:
          - model_name: azure-gpt
            litellm_params:
              model: azure/my-gpt4o-deployment
              api_base: {fakeUrl}
              api_version: "2024-10-21"
              api_key: azure-secret-key-123
              base_model: gpt-4o-mini
          - model_name: azure-embed
            litellm_params:
              model: azure/embed-deployment
              api_base: {fakeUrl}
              api_version: "2024-10-21"
              api_key: azure-secret-key-123
        general_settings:
          master_key: {Configs.MasterKey}
        router_settings:
          num_retries: 0
        """;

    private static void AssertAzureRequest(RecordedRequest request, string deployment, string operation)
    {
        Assert.Equal($"/openai/deployments/{deployment}/{operation}", request.Path);
        Assert.Equal("?api-version=2024-10-21", request.Query);
        Assert.Equal("azure-secret-key-123", request.Header("api-key"));
        Assert.Null(request.Header("authorization"));
    }

    [Fact]
    public async Task PlainAndStreaming_ViaSdk_ReachTheAzureDeployment()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = r => r.Json!["stream"]?.GetValue<bool>() == true
            ? OpenAIWire.StreamOf("Hello", " Azure")
            : FakeResponse.Json(OpenAIWire.Completion("Hi from Azure", prompt: 12, completion: 3));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var client = GatewayCalls.Sdk(gateway, "azure-gpt");

        ChatCompletion plain = await client.CompleteChatAsync([new UserChatMessage("hi")]);
        var streamed = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
            foreach (var part in update.ContentUpdate)
                streamed.Append(part.Text);

        Assert.Equal("Hi from Azure", plain.Content[0].Text);
        Assert.Equal(12, plain.Usage.InputTokenCount);
        Assert.Equal("Hello Azure", streamed.ToString());
        Assert.All(fake.Requests, r => AssertAzureRequest(r, "my-gpt4o-deployment", "chat/completions"));
    }

    [Fact]
    public async Task ToolCall_ViaSdk_RoundTrips()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json(OpenAIWire.ToolCallCompletion("lookup", """{"q":"x"}"""));
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var options = new ChatCompletionOptions();
        options.Tools.Add(ChatTool.CreateFunctionTool("lookup", "Look up", BinaryData.FromString("""{"type":"object","properties":{"q":{"type":"string"}}}""")));

        ChatCompletion completion = await GatewayCalls.Sdk(gateway, "azure-gpt").CompleteChatAsync([new UserChatMessage("find x")], options);

        Assert.Equal("lookup", Assert.Single(completion.ToolCalls).FunctionName);
    }

    [Fact]
    public async Task Embeddings_ViaSdk_ReachTheEmbeddingDeployment()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Json("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25]},{"object":"embedding","index":1,"embedding":[1,0]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":6,"total_tokens":6}}""");
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));
        var client = new EmbeddingClient("azure-embed", new System.ClientModel.ApiKeyCredential(Configs.MasterKey),
            new OpenAI.OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1") });

        var result = await client.GenerateEmbeddingsAsync(["a", "b"]);

        Assert.Equal(2, result.Value.Count);
        Assert.Equal([0.5f, -0.25f], result.Value[0].ToFloats().ToArray());
        AssertAzureRequest(Assert.Single(fake.Requests), "embed-deployment", "embeddings");
        Assert.Equal(6, Assert.Single(await UsageRecords.AllAsync(gateway)).PromptTokens);
    }

    [Fact]
    public async Task Azure429WithRetryAfterMs_Returns429WithRetryAfter()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(429, "Requests to the ChatCompletions_Create Operation have exceeded rate limit", "429")
            .WithHeader("retry-after-ms", "2500");
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("azure-gpt"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 429);
        Assert.Equal("3", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task ContentFilter_IsAContentPolicyError()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(400, "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", "content_filter");
        await using var gateway = await TestGateway.StartAsync(Config(fake.BaseUrl));

        using var response = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("azure-gpt"));

        await ErrorAssertions.AssertEnvelopeAsync(response, 400, "content_filter");
        Assert.Equal("ContentPolicy", Assert.Single(await UsageRecords.AllAsync(gateway)).ErrorKind);
    }

    [Fact]
    public void Config_WithoutApiVersionOrBase_StopsStartupNamingThePaths()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load("""
            model_list:
              - model_name: a
                litellm_params: { model: azure/dep, api_key: k }
            """, "test", _ => null, ["azure", "openai", "mock"]));
        Assert.Contains(error.Problems, p => p.StartsWith("model_list[0].litellm_params.api_version:"));
        Assert.Contains(error.Problems, p => p.StartsWith("model_list[0].litellm_params.api_base:"));
    }
}
