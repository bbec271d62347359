namespace Gateway.Api.Dashboard;

/// <summary>
/// <c>GET /ui</c>: the finance dashboard, one self-contained HTML page embedded in the binary (no CDN, works offline).
/// The page itself holds nothing secret; it asks for a reports/admin key and sends it only as a Bearer header on its
/// report calls. The content security policy allows nothing but this page's own script (by its SHA-256, so an injected
/// script could not run even if a value slipped into the markup) and style, and calls to this origin.
/// </summary>
internal static class DashboardEndpoint
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoint).Assembly.GetManifestResourceStream("dashboard.html")
            ?? throw new InvalidOperationException("dashboard.html is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<string> Policy = new(() =>
        $"default-src 'none'; script-src '{ScriptHash(System.Text.Encoding.UTF8.GetString(Page.Value))}'; style-src 'unsafe-inline'; connect-src 'self'; " +
        "img-src 'self' data: blob:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'");

    /// <summary>CSP hash source of the page's one inline script: SHA-256 of the exact text between its tags.</summary>
    internal static string ScriptHash(string html)
    {
        var start = html.IndexOf("<script>", StringComparison.Ordinal) + "<script>".Length;
        var end = html.IndexOf("</script>", start, StringComparison.Ordinal);
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(html[start..end]));
        return "sha256-" + Convert.ToBase64String(digest);
    }

    public static Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] = Policy.Value;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.Body.WriteAsync(Page.Value, context.RequestAborted).AsTask();
    }
}
