using Gateway.Api.Observability;
using Gateway.Core.Alerts;
using Gateway.Core.Storage;

namespace Gateway.Api.Alerts;

/// <summary>
/// Sends alerts to every configured sink, each exactly once per crossing. Before sending, the sink claims the alert's
/// once-only meter (one conditional store update, limit 1), so two instances or two runs never both send it. A send is
/// tried three times with backoff; if it still fails the claim is released, so the next run tries again, and the failure is
/// logged. Without sinks, alerts are logged (once each) and nothing else.
/// </summary>
internal sealed class AlertNotifier(IReadOnlyList<IAlertSink> sinks, IMeterStore meters, ILogger<AlertNotifier> logger)
{
    /// <summary>Waits before the second and third attempt.</summary>
    internal static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    private static readonly IAlertSink LogOnly = new LogSink();

    public async Task<int> SendAsync(IEnumerable<Alert> alerts, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var alert in alerts)
            foreach (var sink in sinks.Count == 0 ? [LogOnly] : sinks)
                if (await SendOnceAsync(alert, sink, cancellationToken).ConfigureAwait(false))
                    sent++;
        return sent;
    }

    private async Task<bool> SendOnceAsync(Alert alert, IAlertSink sink, CancellationToken cancellationToken)
    {
        var claim = alert.Once with { Meter = alert.Once.Meter + ":" + sink.Name };
        if (!(await meters.TryApplyAsync(claim, new MeterDelta(1), 1, alert.ClaimExpiresAt, cancellationToken).ConfigureAwait(false)).Applied)
            return false;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await sink.SendAsync(alert, cancellationToken).ConfigureAwait(false);
                Log.AlertSent(logger, alert.Kind, sink.Name, alert.Title);
                return true;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < RetryDelays.Length)
            {
                Log.AlertRetry(logger, alert.Kind, sink.Name, attempt + 1, e.Message);
                await Task.Delay(RetryDelays[attempt], cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.AlertFailed(logger, alert.Kind, sink.Name, alert.Title, e);
                await meters.ApplyAsync(claim, new MeterDelta(-1), alert.ClaimExpiresAt, CancellationToken.None).ConfigureAwait(false);
                return false;
            }
        }
    }

    /// <summary>The sink when none is configured: the alert only reaches the log (by <see cref="Log.AlertSent"/>).</summary>
    private sealed class LogSink : IAlertSink
    {
        public string Name => "log";
        public Task SendAsync(Alert alert, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
