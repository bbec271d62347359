using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Core.Errors;
using Gateway.Providers.Http;

namespace Gateway.Tests.Providers.Http;

public sealed class UpstreamErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static GatewayError Classify(HttpStatusCode status, string? message = "upstream said no", string? code = null,
        TimeSpan? retryAfter = null) =>
        UpstreamErrors.Classify("gpt-4o-primary", "openai", status, message, code, retryAfter);

    [Fact]
    public void Classify_429_Keeps429WithRetryAfterAndRetryable()
    {
        var error = Classify(HttpStatusCode.TooManyRequests, "Rate limit reached", retryAfter: TimeSpan.FromSeconds(7));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(ErrorKind.RateLimited, error.Kind);
        Assert.Equal("rate_limit_error", error.Type);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.True(error.IsRetryable);
        Assert.True(error.AllowsFallback);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void Classify_5xx_Becomes502RetryableWithFallback(HttpStatusCode status)
    {
        var error = Classify(status);

        Assert.Equal(502, error.StatusCode);
        Assert.Equal(ErrorKind.UpstreamError, error.Kind);
        Assert.True(error.IsRetryable);
        Assert.True(error.AllowsFallback);
        Assert.Contains($"returned {(int)status}", error.Message);
    }

    [Theory]
    [InlineData("context_length_exceeded", "Too long.")]
    [InlineData(null, "This model's maximum context length is 128000 tokens.")]
    public void Classify_400ContextLength_ContextWindowExceeded(string? code, string message)
    {
        var error = Classify(HttpStatusCode.BadRequest, message, code);

        Assert.Equal(ErrorKind.ContextWindowExceeded, error.Kind);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("context_length_exceeded", error.Code);
        Assert.False(error.IsRetryable);
        Assert.True(error.AllowsFallback);
    }

    [Fact]
    public void Classify_400ContentFilter_ContentPolicy()
    {
        var error = Classify(HttpStatusCode.BadRequest, "Blocked.", "content_filter");

        Assert.Equal(ErrorKind.ContentPolicy, error.Kind);
        Assert.True(error.AllowsFallback);
    }

    [Fact]
    public void Classify_400Plain_NotRetryableNoFallback()
    {
        var error = Classify(HttpStatusCode.BadRequest, "Invalid value for 'temperature'.", "invalid_value");

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(ErrorKind.UpstreamBadRequest, error.Kind);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.False(error.IsRetryable);
        Assert.False(error.AllowsFallback);
        Assert.Contains("Invalid value for 'temperature'.", error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public void Classify_AuthFailure_DropsUpstreamMessage(HttpStatusCode status)
    {
        var error = Classify(status, "Incorrect API key provided: sk-abc123456789. Find your key at platform.openai.com.");

        Assert.Equal((int)status, error.StatusCode);
        Assert.Equal(ErrorKind.UpstreamAuthentication, error.Kind);
        Assert.DoesNotContain("sk-abc", error.Message);
        Assert.DoesNotContain("Incorrect API key", error.Message);
        Assert.False(error.IsRetryable);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "Key sk-live-1234567890abcdef is not allowed here", "sk-live-1234567890abcdef")]
    [InlineData(HttpStatusCode.InternalServerError, "auth header was Bearer xyz987secretvalue", "xyz987secretvalue")]
    [InlineData(HttpStatusCode.TooManyRequests, "limit for sk-live-1234567890abcdef reached", "1234567890abcdef")]
    [InlineData(HttpStatusCode.NotFound, "no model for bearer  xyz987secretvalue", "xyz987secretvalue")]
    public void Classify_MessageWithCredential_Redacted(HttpStatusCode status, string message, string secret)
    {
        var error = Classify(status, message);

        Assert.DoesNotContain(secret, error.Message);
        Assert.Contains("[redacted]", error.Message);
    }

    [Fact]
    public void Classify_NoUpstreamMessage_StillNamesDeploymentAndStatus()
    {
        var error = Classify(HttpStatusCode.BadRequest, message: null);

        Assert.Equal("Deployment 'gpt-4o-primary' (openai) returned 400", error.Message);
    }

    [Theory]
    [InlineData("""{"error":{"message":"Bad thing","type":"invalid_request_error","code":"bad_code"}}""", "Bad thing", "bad_code")]
    [InlineData("""{"error":{"message":"Overloaded","type":"overloaded_error"}}""", "Overloaded", "overloaded_error")]
    [InlineData("""{"error":"plain string"}""", "plain string", null)]
    [InlineData("""{"detail":"not openai"}""", null, null)]
    [InlineData("<html>502 Bad Gateway</html>", null, null)]
    public void ReadOpenAIError_Body_ReadsMessageAndCode(string body, string? message, string? code)
    {
        Assert.Equal((message, code), UpstreamErrors.ReadOpenAIError(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void RetryAfter_RetryAfterMs_ReadAsMilliseconds()
    {
        var headers = Headers(("retry-after-ms", "1500"), ("Retry-After", "30"));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), UpstreamErrors.RetryAfter(headers, new FixedTime(Now)));
    }

    [Fact]
    public void RetryAfter_Seconds_ReadAsDelta()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), UpstreamErrors.RetryAfter(Headers(("Retry-After", "30")), new FixedTime(Now)));
    }

    [Fact]
    public void RetryAfter_HttpDate_MeasuredFromTimeProvider()
    {
        var headers = Headers(("Retry-After", "Tue, 24 Nov 2026 10:00:20 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(20), UpstreamErrors.RetryAfter(headers, new FixedTime(Now)));
    }

    [Fact]
    public void RetryAfter_HttpDateInPast_Zero()
    {
        var headers = Headers(("Retry-After", "Tue, 24 Nov 2026 09:59:00 GMT"));

        Assert.Equal(TimeSpan.Zero, UpstreamErrors.RetryAfter(headers, new FixedTime(Now)));
    }

    [Fact]
    public void RetryAfter_UnparsableMs_FallsBackToRetryAfter()
    {
        var headers = Headers(("retry-after-ms", "soon"), ("Retry-After", "2"));

        Assert.Equal(TimeSpan.FromSeconds(2), UpstreamErrors.RetryAfter(headers, new FixedTime(Now)));
    }

    [Fact]
    public void RetryAfter_NoHeader_Null()
    {
        Assert.Null(UpstreamErrors.RetryAfter(Headers(), new FixedTime(Now)));
    }

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] values)
    {
        var headers = new HttpResponseMessage().Headers;
        foreach (var (name, value) in values)
            Assert.True(headers.TryAddWithoutValidation(name, value));
        return headers;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
