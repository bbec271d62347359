using Gateway.Api.Alerts;
using Gateway.Api.Observability;
using Gateway.Core.Alerts;
using Gateway.Core.Configuration;
using Gateway.Core.Governance;
using Gateway.Core.Rollups;
using Gateway.Core.Storage;

namespace Gateway.Api.Rollups;

/// <summary>What one rollup call did: each day's run and how many alerts went out.</summary>
internal sealed record RollupOutcome(IReadOnlyList<RollupRun> Runs, int AlertsSent)
{
    public bool Failed => Runs.Any(r => r.Outcome != "ok");
}

/// <summary>
/// The one way rollups run, whatever triggers them (EventBridge via <c>POST /events</c>, the local timer, or an admin's
/// <c>POST /admin/rollups/run</c>): roll the days, log each run, then check alerts (recent days' spend against the daily
/// threshold; every budget against its soft budget and alert percentage). An alert check that fails is logged and
/// never fails the rollup.
/// </summary>
internal sealed class RollupService(RollupJob job, IRollupStore rollups, BudgetOverview budgets, AlertNotifier notifier, GatewayConfig config,
    TimeProvider time, ILogger<RollupService> logger)
{
    public const string Scheduled = "schedule";
    public const string Manual = "manual";

    public Task<RollupOutcome> RunScheduledAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (from, to) = RollupJob.ScheduledRange(now);
        return RunAsync(from, to, Scheduled, cancellationToken);
    }

    public async Task<RollupOutcome> RunAsync(DateOnly from, DateOnly to, string trigger, CancellationToken cancellationToken)
    {
        var runs = await job.RunAsync(from, to, trigger, cancellationToken).ConfigureAwait(false);
        foreach (var run in runs)
            Log.RollupRan(logger, run.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), run.Trigger, run.Outcome,
                run.RecordsRead, run.Rows, Math.Round(run.DurationMs, 1), run.Error);
        var sent = 0;
        try
        {
            sent = await CheckAlertsAsync(runs, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.RollupScheduleFailed(logger, e);
        }
        return new RollupOutcome(runs, sent);
    }

    /// <summary>Only days still being re-rolled count for the daily threshold, so a backfill of old months sends nothing.</summary>
    private async Task<int> CheckAlertsAsync(IReadOnlyList<RollupRun> runs, CancellationToken cancellationToken)
    {
        var settings = config.Alerts;
        var alerts = new List<Alert>();
        var recent = RollupJob.ScheduledRange(time.GetUtcNow()).From;
        foreach (var run in runs.Where(r => r.Outcome == "ok" && r.Day >= recent))
            foreach (var total in await rollups.QueryAsync(run.Day, run.Day, RollupDimensions.Total, cancellationToken).ConfigureAwait(false))
                if (AlertRules.ForDay(total, settings) is { } alert)
                    alerts.Add(alert);
        alerts.AddRange(AlertRules.ForBudgets(await budgets.ListAsync(cancellationToken).ConfigureAwait(false), settings));
        return await notifier.SendAsync(alerts, cancellationToken).ConfigureAwait(false);
    }
}
