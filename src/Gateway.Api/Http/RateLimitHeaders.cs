using System.Globalization;
using Gateway.Core.Governance;

namespace Gateway.Api.Http;

/// <summary>OpenAI's rate-limit headers (<c>x-ratelimit-limit-requests</c>, <c>-remaining-</c>, <c>-reset-</c>, and the tokens trio).</summary>
internal static class RateLimitHeaders
{
    public static void Write(HttpResponse response, Admission admission)
    {
        if (admission.Requests is { } requests)
            Write(response, "requests", requests);
        if (admission.Tokens is { } tokens)
            Write(response, "tokens", tokens);
    }

    private static void Write(HttpResponse response, string what, RateLimitStatus status)
    {
        var headers = response.Headers;
        headers[$"x-ratelimit-limit-{what}"] = status.Limit.ToString(CultureInfo.InvariantCulture);
        headers[$"x-ratelimit-remaining-{what}"] = status.Remaining.ToString(CultureInfo.InvariantCulture);
        var wait = Math.Max(0, (status.ResetsAt - DateTimeOffset.UtcNow).TotalSeconds);
        headers[$"x-ratelimit-reset-{what}"] = wait.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }
}
