using Gateway.Api.Observability;
using Gateway.Core.Configuration;

namespace Gateway.Api.Rollups;

/// <summary>
/// The local stand-in for the EventBridge schedule: a host run with <c>dotnet run</c> (role <c>all</c>) rolls up a minute
/// after it starts and then every <c>rollup_interval_minutes</c>. Never on Lambda, where a frozen instance has no timers.
/// </summary>
internal sealed class RollupTimer(RollupService rollups, GatewayConfig config, TimeProvider time, ILogger<RollupTimer> logger) : BackgroundService
{
    internal static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRunDelay < config.RollupInterval ? FirstRunDelay : config.RollupInterval, time, stoppingToken);
            using var timer = new PeriodicTimer(config.RollupInterval, time);
            do
            {
                try
                {
                    await rollups.RunScheduledAsync(time.GetUtcNow(), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.RollupScheduleFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
