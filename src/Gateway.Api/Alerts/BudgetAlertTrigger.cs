using System.Collections.Concurrent;
using Gateway.Core.Alerts;
using Gateway.Core.Configuration;
using Gateway.Core.Governance;

namespace Gateway.Api.Alerts;

/// <summary>
/// Sends budget alerts the moment a request crosses a threshold, instead of waiting for the next rollup run: when
/// settling reports a soft budget crossed (governance reports each once per period), or a key's spend reaches
/// <see cref="AlertSettings.BudgetAlertPercent"/> of its max budget (remembered per key and period in this process, so
/// later requests do not re-check). The notifier's once-only claims make the rollup run's later check a no-op for
/// alerts already sent, and vice versa.
/// </summary>
internal sealed class BudgetAlertTrigger(BudgetOverview budgets, AlertNotifier notifier, GatewayConfig config, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, byte> _percentFired = new(StringComparer.Ordinal);

    public bool ShouldFire(Caller caller, SettleResult settled)
    {
        if (settled.SoftBudgetCrossed.Count > 0)
            return true;
        if (config.Alerts.BudgetAlertPercent is not { } percent || caller.Key is not { MaxBudget: { } max } key || max <= 0 ||
            settled.KeySpend is not { } spend || spend < max * percent / 100m)
            return false;
        return _percentFired.TryAdd($"{key.KeyId}|{BudgetPeriod.For(key.BudgetDuration, time.GetUtcNow()).Id}", 0);
    }

    public async Task FireAsync(CancellationToken cancellationToken)
    {
        var statuses = await budgets.ListAsync(cancellationToken).ConfigureAwait(false);
        await notifier.SendAsync(AlertRules.ForBudgets(statuses, config.Alerts), cancellationToken).ConfigureAwait(false);
    }
}
