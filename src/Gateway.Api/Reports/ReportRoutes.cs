using Gateway.Api.Dashboard;
using Gateway.Api.Rollups;

namespace Gateway.Api.Reports;

/// <summary>Finance's routes: reports (reports, admin and master keys), the dashboard page, and running rollups (admin).</summary>
internal static class ReportRoutes
{
    public static void MapReportEndpoints(this WebApplication app)
    {
        app.MapGet("/reports/daily", DailyReportEndpoint.HandleAsync);
        app.MapGet("/reports/monthly", MonthlyReportEndpoint.HandleAsync);
        app.MapGet("/reports/budgets", BudgetReportEndpoint.HandleAsync);
        app.MapPost("/admin/rollups/run", RollupEndpoints.RunAsync);
        app.MapGet("/admin/rollups/runs", RollupEndpoints.RunsAsync);
        app.MapGet("/ui", DashboardEndpoint.HandleAsync);
    }

    /// <summary>The rollup function's whole surface: the scheduled event and the adapter's readiness check.</summary>
    public static void MapRollupFunction(this WebApplication app)
    {
        app.MapPost("/events", RollupEndpoints.ScheduledEventAsync);
        app.MapGet("/health/liveliness", Endpoints.HealthEndpoints.LivelinessAsync);
        app.MapFallback(Endpoints.EndpointRoutes.NotFound);
    }
}
