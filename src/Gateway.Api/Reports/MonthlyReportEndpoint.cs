using System.Globalization;
using Gateway.Api.Admin;
using Gateway.Api.Auth;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;

namespace Gateway.Api.Reports;

/// <summary>
/// <c>GET /reports/monthly?from=YYYY-MM&amp;to=YYYY-MM&amp;group_by=&amp;format=json|csv</c>: the daily rollups summed per
/// calendar month (UTC) and grouped value; the current month is month-to-date (default: the current month, by team).
/// </summary>
internal static class MonthlyReportEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, IRollupStore rollups, TimeProvider time)
    {
        var ct = context.RequestAborted;
        await auth.RequireAsync(context.Request, c => c.CanReadReports, "read reports", ct);
        var query = ReportQuery.Monthly(context.Request.Query, time.GetUtcNow(), ReportQuery.Json, ReportQuery.Csv);
        var rows = (await rollups.QueryAsync(query.From, query.To, query.GroupBy, ct))
            .GroupBy(r => (Month: new DateOnly(r.Day.Year, r.Day.Month, 1), r.Value))
            .Select(g => RollupSums.Sum(g, g.Key.Month, query.GroupBy, g.Key.Value))
            .OrderBy(r => r.Day).ThenByDescending(r => r.Cost).ThenBy(r => r.Value, StringComparer.Ordinal).ToList();
        if (query.Format == ReportQuery.Csv)
        {
            var csv = RollupRows.CsvHeader("month", query.GroupBy);
            foreach (var r in rows)
                RollupRows.CsvRow(csv, r, Month(r.Day));
            await ReportResponses.WriteCsvAsync(context, csv.ToString(), $"gateway-monthly-{query.GroupBy}-{Month(query.From)}_{Month(query.To)}.csv");
            return;
        }
        await AdminJson.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("from", Month(query.From));
            w.WriteString("to", Month(query.To));
            w.WriteString("group_by", query.GroupBy);
            w.WriteStartArray("data");
            foreach (var r in rows)
                RollupRows.WriteJson(w, r, "month", Month(r.Day));
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
