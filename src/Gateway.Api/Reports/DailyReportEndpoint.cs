using Gateway.Api.Admin;
using Gateway.Api.Auth;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;

namespace Gateway.Api.Reports;

/// <summary>
/// <c>GET /reports/daily?from=&amp;to=&amp;group_by=&amp;format=json|csv|focus</c>: one row per UTC day and grouped value
/// from the daily rollups (default: the last 7 days, by team). Reports, admin and master keys only.
/// </summary>
internal static class DailyReportEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, IRollupStore rollups, TimeProvider time)
    {
        var ct = context.RequestAborted;
        await auth.RequireAsync(context.Request, c => c.CanReadReports, "read reports", ct);
        var query = ReportQuery.Daily(context.Request.Query, time.GetUtcNow(), ReportQuery.Json, ReportQuery.Csv, ReportQuery.Focus);
        var rows = (await rollups.QueryAsync(query.From, query.To, query.GroupBy, ct))
            .OrderBy(r => r.Day).ThenByDescending(r => r.Cost).ThenBy(r => r.Value, StringComparer.Ordinal).ToList();
        var range = $"{ReportQuery.Iso(query.From)}_{ReportQuery.Iso(query.To)}";
        switch (query.Format)
        {
            case ReportQuery.Csv:
                var csv = RollupRows.CsvHeader("date", query.GroupBy);
                foreach (var r in rows)
                    RollupRows.CsvRow(csv, r, ReportQuery.Iso(r.Day));
                await ReportResponses.WriteCsvAsync(context, csv.ToString(), $"gateway-daily-{query.GroupBy}-{range}.csv");
                return;
            case ReportQuery.Focus:
                await ReportResponses.WriteCsvAsync(context, FocusRows.Csv(rows), $"gateway-focus-{query.GroupBy}-{range}.csv");
                return;
        }
        var total = RollupSums.Sum(query.GroupBy == RollupDimensions.Tag ? [] : rows, query.From, query.GroupBy, RollupDimensions.AllValue);
        await AdminJson.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("from", ReportQuery.Iso(query.From));
            w.WriteString("to", ReportQuery.Iso(query.To));
            w.WriteString("group_by", query.GroupBy);
            w.WriteStartArray("data");
            foreach (var r in rows)
                RollupRows.WriteJson(w, r, "date", ReportQuery.Iso(r.Day));
            w.WriteEndArray();
            if (query.GroupBy == RollupDimensions.Tag)
            {
                w.WriteNull("total"); // a request with two tags counts under both: a sum over tags would double-count.
            }
            else
            {
                w.WriteStartObject("total");
                RollupRows.WriteMeasures(w, total);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }
}
