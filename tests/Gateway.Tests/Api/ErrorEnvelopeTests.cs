using System.Net.Http.Headers;
using System.Text;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Every bad input gets its status and OpenAI's envelope, naming the field; nothing reaches a provider.</summary>
public sealed class ErrorEnvelopeTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync("""
        model_list:
          - model_name: mock-gpt
            litellm_params:
              model: mock/mock-gpt
        general_settings:
          master_key: sk-test-master-0123456789
          max_request_size_mb: 0.01
        """);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Theory]
    [InlineData("{not json", "invalid_json", null)]
    [InlineData("[1,2]", "invalid_type", null)]
    [InlineData("""{"messages":[{"role":"user","content":"x"}]}""", "missing_required_parameter", "model")]
    [InlineData("""{"model":7,"messages":[{"role":"user","content":"x"}]}""", "invalid_type", "model")]
    [InlineData("""{"model":"mock-gpt"}""", "missing_required_parameter", "messages")]
    [InlineData("""{"model":"mock-gpt","messages":"hi"}""", "invalid_type", "messages")]
    [InlineData("""{"model":"mock-gpt","messages":[]}""", "invalid_value", "messages")]
    [InlineData("""{"model":"mock-gpt","messages":[{"role":"user"}]}""", "missing_required_parameter", "messages[0].content")]
    [InlineData("""{"model":"mock-gpt","messages":[{"role":"user","content":"x"},{"role":"wizard","content":"x"}]}""", "invalid_value", "messages[1].role")]
    [InlineData("""{"model":"mock-gpt","messages":[{"role":"user","content":"x"}],"stream":"yes"}""", "invalid_type", "stream")]
    [InlineData("""{"model":"mock-gpt","messages":[{"role":"user","content":"x"}],"max_tokens":-1}""", "invalid_value", "max_tokens")]
    [InlineData("""{"model":"mock-gpt","messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", "invalid_type", "temperature")]
    [InlineData("""{"model":"mock-gpt","messages":[{"role":"tool","content":"x"}]}""", "missing_required_parameter", "messages[0].tool_call_id")]
    public async Task BadBody_Returns400NamingTheField(string body, string code, string? param)
    {
        using var response = await GatewayCalls.PostChatAsync(_gateway, body);
        await ErrorAssertions.AssertEnvelopeAsync(response, 400, code, param);
    }

    [Fact]
    public async Task InvalidUtf8_Returns400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"model":"mock-gpt","messages":[{"role":"user","content":"X"}]}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3; // a lead byte with no continuation
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(bytes) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        using var response = await _gateway.Http.SendAsync(request);
        await ErrorAssertions.AssertEnvelopeAsync(response, 400, "invalid_json");
    }

    [Fact]
    public async Task UnknownModel_Returns404ModelNotFound_WithoutListingModels()
    {
        using var response = await GatewayCalls.PostChatAsync(_gateway, GatewayCalls.Chat("gpt-unknown"));
        var error = await ErrorAssertions.AssertEnvelopeAsync(response, 404, "model_not_found", "model");
        Assert.DoesNotContain("mock-gpt", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk-wrong-key")]
    [InlineData("sk-test-master-012345678")]
    public async Task MissingOrWrongKey_Returns401(string? key)
    {
        using var response = await GatewayCalls.PostChatAsync(_gateway, GatewayCalls.Chat("mock-gpt"), key);
        await ErrorAssertions.AssertEnvelopeAsync(response, 401, "invalid_api_key");
    }

    [Fact]
    public async Task XApiKeyHeader_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat/completions")
        {
            Content = new StringContent(GatewayCalls.Chat("mock-gpt"), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", Configs.MasterKey);
        using var response = await _gateway.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task BodyOverLimit_Returns413_WithContentLength()
    {
        var big = GatewayCalls.Chat("mock-gpt").Replace("Say hello", new string('a', 20_000));
        using var response = await GatewayCalls.PostChatAsync(_gateway, big);
        await ErrorAssertions.AssertEnvelopeAsync(response, 413, "request_too_large");
    }

    [Fact]
    public async Task BodyOverLimit_Returns413_WhenChunked()
    {
        var big = Encoding.UTF8.GetBytes(GatewayCalls.Chat("mock-gpt").Replace("Say hello", new string('a', 20_000)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StreamContent(new MemoryStream(big)) };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Configs.MasterKey);
        using var response = await _gateway.Http.SendAsync(request);
        await ErrorAssertions.AssertEnvelopeAsync(response, 413);
    }

    [Fact]
    public async Task EmptyBody_Returns400()
    {
        using var response = await GatewayCalls.PostChatAsync(_gateway, "");
        await ErrorAssertions.AssertEnvelopeAsync(response, 400, "invalid_json");
    }

    [Fact]
    public async Task UnknownRoute_Returns404Envelope()
    {
        using var response = await _gateway.Http.GetAsync("/v1/nothing-here");
        await ErrorAssertions.AssertEnvelopeAsync(response, 404);
    }

    [Fact]
    public async Task IncomingRequestId_IsKept_AndHostileOneIsReplaced()
    {
        using var kept = new HttpRequestMessage(HttpMethod.Get, "/health/readiness");
        kept.Headers.Add("x-request-id", "client-abc_123");
        using var keptResponse = await _gateway.Http.SendAsync(kept);
        Assert.Equal("client-abc_123", keptResponse.Headers.GetValues("x-request-id").Single());

        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/health/readiness");
        hostile.Headers.TryAddWithoutValidation("x-request-id", "abc def<script>");
        using var hostileResponse = await _gateway.Http.SendAsync(hostile);
        Assert.StartsWith("req_", hostileResponse.Headers.GetValues("x-request-id").Single());
    }
}
