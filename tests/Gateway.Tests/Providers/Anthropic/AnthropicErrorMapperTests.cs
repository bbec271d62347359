using System.Net;
using System.Text;
using Gateway.Core.Errors;
using Gateway.Providers.Anthropic;
using Gateway.Testing.Fakes.Anthropic;

namespace Gateway.Tests.Providers.Anthropic;

public sealed class AnthropicErrorMapperTests
{
    [Theory]
    [InlineData(400, "invalid_request_error", "messages: roles must alternate", 400, ErrorKind.UpstreamBadRequest, false, false)]
    [InlineData(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum", 400, ErrorKind.ContextWindowExceeded, false, true)]
    [InlineData(401, "authentication_error", "invalid x-api-key", 401, ErrorKind.UpstreamAuthentication, false, true)]
    [InlineData(403, "permission_error", "Your API key does not have permission", 403, ErrorKind.UpstreamAuthentication, false, true)]
    [InlineData(404, "not_found_error", "model: claude-9", 404, ErrorKind.NotFound, false, true)]
    [InlineData(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", 413, ErrorKind.RequestTooLarge, false, false)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", 429, ErrorKind.RateLimited, true, true)]
    [InlineData(500, "api_error", "Internal server error", 502, ErrorKind.UpstreamError, true, true)]
    [InlineData(529, "overloaded_error", "Overloaded", 503, ErrorKind.UpstreamUnavailable, true, true)]
    public void FromHttp_EachAnthropicErrorType_MapsStatusKindAndFallback(int upstream, string type, string message, int status, ErrorKind kind,
        bool retryable, bool fallback)
    {
        var error = AnthropicErrorMapper.FromHttp("d1", (HttpStatusCode)upstream, Encoding.UTF8.GetBytes(AnthropicWire.ErrorBody(type, message)), TimeSpan.FromSeconds(3));

        Assert.Equal((status, kind, retryable, fallback), (error.StatusCode, error.Kind, error.IsRetryable, error.AllowsFallback));
    }

    [Fact]
    public void FromHttp_RateLimit_KeepsRetryAfter()
    {
        var error = AnthropicErrorMapper.FromHttp("d1", (HttpStatusCode)429, Encoding.UTF8.GetBytes(AnthropicWire.ErrorBody("rate_limit_error", "slow")), TimeSpan.FromSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    [Theory]
    [InlineData(529, 503)]
    [InlineData(502, 502)]
    [InlineData(418, 418)]
    public void FromHttp_BodyNotAnthropics_ClassifiesByStatus(int upstream, int status)
    {
        var error = AnthropicErrorMapper.FromHttp("d1", (HttpStatusCode)upstream, "<html>Bad gateway</html>"u8, null);

        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public void FromHttp_MessageEchoingAKey_IsRedacted()
    {
        var body = AnthropicWire.ErrorBody("invalid_request_error", "bad header x-api-key: sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789");

        var error = AnthropicErrorMapper.FromHttp("d1", HttpStatusCode.BadRequest, Encoding.UTF8.GetBytes(body), null);

        Assert.DoesNotContain("sk-ant-api03", error.Message);
        Assert.Contains("[redacted]", error.Message);
    }
}
