using System.Globalization;
using System.Text.Json;
using Gateway.Api.Admin;
using Gateway.Api.Auth;
using Gateway.Core.Errors;
using Gateway.Core.Storage;
using Gateway.Core.Usage;

namespace Gateway.Api.Endpoints;

/// <summary>
/// <c>GET /spend/logs</c>: usage records, oldest first, paged (<c>limit</c> up to 1000, <c>page_token</c>). Filters:
/// <c>key_id</c>, <c>team_id</c>, <c>user</c> (end user), <c>model</c>, <c>tag</c>, and the time range as
/// <c>start_date</c>/<c>end_date</c> (LiteLLM's, <c>YYYY-MM-DD</c>, end inclusive) or <c>from</c>/<c>to</c> (ISO 8601).
/// Default range: the last 24 hours. Admin, reports and master keys see every record; a model key sees its own.
/// </summary>
internal static class SpendLogsEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, IUsageStore usage, TimeProvider time)
    {
        var ct = context.RequestAborted;
        var caller = await auth.RequireAsync(context.Request, c => c.CanReadReports || c.CanCallModels, "read spend logs", ct);
        var q = context.Request.Query;
        var now = time.GetUtcNow();
        var (from, to) = Range(q, now);
        var keyId = Text(q, "key_id");
        if (!caller.CanReadReports)
        {
            if (keyId is not null && keyId != caller.KeyId)
                throw GatewayError.Forbidden("A model key may read only its own spend logs.");
            keyId = caller.KeyId;
        }
        var filter = new UsageFilter(from, to)
        {
            KeyId = keyId, TeamId = Text(q, "team_id"), EndUser = Text(q, "user"), Model = Text(q, "model"), Tag = Text(q, "tag"),
        };
        var limit = Limit(q);
        var page = await filter.QueryAsync(usage, limit, Text(q, "page_token"), ct);
        await AdminJson.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var record in page.Records)
                JsonSerializer.Serialize(w, record, UsageJsonContext.Default.UsageRecord);
            w.WriteEndArray();
            if (page.NextPageToken is { } next) w.WriteString("next_page_token", next); else w.WriteNull("next_page_token");
            w.WriteEndObject();
        });
    }

    private static (DateTimeOffset From, DateTimeOffset To) Range(IQueryCollection q, DateTimeOffset now)
    {
        var from = Instant(q, "from") ?? Day(q, "start_date") ?? now.AddDays(-1);
        var to = Instant(q, "to") ?? Day(q, "end_date")?.AddDays(1) ?? now.AddMinutes(1);
        if (to <= from)
            throw GatewayError.InvalidRequest("The time range is empty: 'to'/'end_date' must be after 'from'/'start_date'.", "to", "invalid_value");
        return (from, to);
    }

    private static DateTimeOffset? Instant(IQueryCollection q, string name) =>
        Text(q, name) is not { } text ? null
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw GatewayError.InvalidRequest($"'{name}' must be an ISO 8601 timestamp, e.g. 2026-11-24T00:00:00Z.", name, "invalid_value");

    private static DateTimeOffset? Day(IQueryCollection q, string name) =>
        Reports.ReportQuery.Date(q, name) is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;

    private static int Limit(IQueryCollection q) =>
        Text(q, "limit") is not { } text ? 100
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 1000 ? n
        : throw GatewayError.InvalidRequest("'limit' must be an integer from 1 to 1000.", "limit", "invalid_value");

    private static string? Text(IQueryCollection q, string name) => Reports.ReportQuery.Text(q, name);
}
