using System.Globalization;
using System.Text.Json;
using Gateway.Api.Admin;
using Gateway.Api.Auth;
using Gateway.Api.Reports;
using Gateway.Core.Errors;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;

namespace Gateway.Api.Rollups;

/// <summary>
/// The rollup's entry points. <c>POST /events</c> is what the Lambda Web Adapter turns the EventBridge schedule's
/// invocation into; it is mapped only in the rollup role, whose function has no API route, so no caller can reach it.
/// <c>POST /admin/rollups/run</c> runs or backfills on demand, <c>GET /admin/rollups/runs</c> lists recent runs (admin).
/// </summary>
internal static class RollupEndpoints
{
    public static async Task ScheduledEventAsync(HttpContext context, RollupService rollups, TimeProvider time)
    {
        DateTimeOffset now;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("detail-type", out var kind) || kind.GetString() != "Scheduled Event")
                throw GatewayError.InvalidRequest("Expected an EventBridge Scheduled Event.", "detail-type", "invalid_value");
            // The event's own time, so a retried or delayed invocation rolls the days it was scheduled for.
            now = root.TryGetProperty("time", out var at) && at.TryGetDateTimeOffset(out var t) ? t : time.GetUtcNow();
        }
        catch (JsonException)
        {
            throw GatewayError.InvalidRequest("The event body is not JSON.");
        }
        var outcome = await rollups.RunScheduledAsync(now, context.RequestAborted);
        // A failed day answers 500 so Lambda counts the invocation as failed (metrics, retries, alarms).
        context.Response.StatusCode = outcome.Failed ? 500 : 200;
        await WriteAsync(context, outcome.Runs, outcome.AlertsSent);
    }

    public static async Task RunAsync(HttpContext context, CallerAuthenticator auth, RollupService rollups, TimeProvider time)
    {
        await auth.RequireAsync(context.Request, c => c.CanAdminister, "run rollups", context.RequestAborted);
        var (defaultFrom, defaultTo) = RollupJob.ScheduledRange(time.GetUtcNow());
        var q = context.Request.Query;
        // Neither: what the schedule would roll. One of them: that single day.
        var (fromParam, toParam) = (ReportQuery.Date(q, "from"), ReportQuery.Date(q, "to"));
        var from = fromParam ?? toParam ?? defaultFrom;
        var to = toParam ?? fromParam ?? defaultTo;
        if (to < from)
            throw GatewayError.InvalidRequest("'to' must not be before 'from'.", "to", "invalid_value");
        if (to.DayNumber - from.DayNumber + 1 > ReportQuery.MaxDays)
            throw GatewayError.InvalidRequest($"A backfill covers at most {ReportQuery.MaxDays} days per call.", "from", "invalid_value");
        // Not tied to the caller's connection: a backfill that was started finishes even if the client gives up waiting.
        var outcome = await rollups.RunAsync(from, to, RollupService.Manual, CancellationToken.None);
        await WriteAsync(context, outcome.Runs, outcome.AlertsSent);
    }

    public static async Task RunsAsync(HttpContext context, CallerAuthenticator auth, IRollupStore store)
    {
        await auth.RequireAsync(context.Request, c => c.CanAdminister, "read rollup runs", context.RequestAborted);
        var limit = ReportQuery.Text(context.Request.Query, "limit") is { } text
            ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 500 ? n
                : throw GatewayError.InvalidRequest("'limit' must be an integer from 1 to 500.", "limit", "invalid_value")
            : 50;
        await WriteAsync(context, await store.RecentRunsAsync(limit, context.RequestAborted), null);
    }

    private static Task WriteAsync(HttpContext context, IReadOnlyList<RollupRun> runs, int? alertsSent) => AdminJson.WriteAsync(context, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("runs");
        foreach (var r in runs)
        {
            w.WriteStartObject();
            w.WriteString("day", ReportQuery.Iso(r.Day));
            w.WriteString("trigger", r.Trigger);
            w.WriteString("started_at", r.StartedAt);
            w.WriteNumber("records_read", r.RecordsRead);
            w.WriteNumber("rows", r.Rows);
            w.WriteNumber("duration_ms", Math.Round(r.DurationMs, 1));
            w.WriteString("outcome", r.Outcome);
            if (r.Error is { } e) w.WriteString("error", e); else w.WriteNull("error");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (alertsSent is { } sent)
            w.WriteNumber("alerts_sent", sent);
        w.WriteEndObject();
    });
}
