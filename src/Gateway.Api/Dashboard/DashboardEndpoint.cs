namespace Gateway.Api.Dashboard;

/// <summary>
/// <c>GET /ui</c>: the finance dashboard, one self-contained HTML page embedded in the binary (no CDN, works offline).
/// The page itself holds nothing secret; it asks for a reports/admin key and sends it only as a Bearer header on its
/// report calls. The content security policy allows nothing but this page's own script and style and same-origin calls.
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

    public static Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["Content-Security-Policy"] =
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data: blob:; form-action 'none'; frame-ancestors 'none'";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.Body.WriteAsync(Page.Value, context.RequestAborted).AsTask();
    }
}
