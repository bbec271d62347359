using System.Text.Json;

namespace Gateway.Tests.Api;

/// <summary>Checks that a response is OpenAI's error envelope with the expected status, and returns its error object.</summary>
internal static class ErrorAssertions
{
    public static async Task<JsonElement> AssertEnvelopeAsync(HttpResponseMessage response, int status, string? code = null, string? param = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), "envelope lacks 'param'");
        Assert.True(error.TryGetProperty("code", out _), "envelope lacks 'code'");
        Assert.DoesNotContain("   at ", body);
        if (code is not null)
            Assert.Equal(code, error.GetProperty("code").GetString());
        if (param is not null)
            Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.True(response.Headers.Contains("x-request-id"));
        return error;
    }
}
