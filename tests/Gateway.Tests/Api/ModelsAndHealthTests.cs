using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

public sealed class ModelsAndHealthTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync(Configs.OpenAIAt("http://127.0.0.1:9"));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("/v1/models")]
    [InlineData("/models")]
    public async Task ListModels_ReturnsConfiguredGroupsInOpenAIFormat(string path)
    {
        using var response = await Authorized(path);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        var ids = doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["gpt-4o-mini", "mock-gpt"], ids);
        Assert.All(doc.RootElement.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
        Assert.DoesNotContain("sk-upstream", doc.RootElement.GetRawText());
    }

    [Fact]
    public async Task GetModel_KnownAndUnknown()
    {
        using var known = await Authorized("/v1/models/gpt-4o-mini");
        Assert.Equal("gpt-4o-mini", JsonDocument.Parse(await known.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        using var unknown = await Authorized("/v1/models/nope");
        await ErrorAssertions.AssertEnvelopeAsync(unknown, 404, "model_not_found");
    }

    [Fact]
    public async Task ListModels_WithoutKey_Returns401()
    {
        using var response = await _gateway.Http.GetAsync("/v1/models");
        await ErrorAssertions.AssertEnvelopeAsync(response, 401);
    }

    [Fact]
    public async Task Health_LivelinessAndReadiness_NeedNoKey()
    {
        using var live = await _gateway.Http.GetAsync("/health/liveliness");
        using var ready = await _gateway.Http.GetAsync("/health/readiness");
        Assert.Equal(200, (int)live.StatusCode);
        Assert.Equal(200, (int)ready.StatusCode);
        Assert.Contains("\"store\":\"reachable\"", await ready.Content.ReadAsStringAsync());
    }

    private Task<HttpResponseMessage> Authorized(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        return _gateway.Http.SendAsync(request);
    }
}
