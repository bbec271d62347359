using System.Text;

namespace Gateway.Api.Reports;

/// <summary>Writes a CSV report as a download (UTF-8, <c>text/csv</c>, a file name that says what and when).</summary>
internal static class ReportResponses
{
    public static Task WriteCsvAsync(HttpContext context, string csv, string fileName)
    {
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(csv), context.RequestAborted).AsTask();
    }
}
