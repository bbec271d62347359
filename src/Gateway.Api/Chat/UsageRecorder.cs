using System.Diagnostics;
using Gateway.Api.Http;
using Gateway.Api.Observability;
using Gateway.Core.Governance;
using Gateway.Core.Pricing;
using Gateway.Core.Storage;
using Gateway.Core.Usage;

namespace Gateway.Api.Chat;

/// <summary>Writes the request's usage record exactly once, before its response completes.</summary>
internal sealed class UsageRecorder(IUsageStore store, GovernanceService governance, CostCalculator costs, TimeProvider time, ILogger<UsageRecorder> logger)
{
    public async Task RecordAsync(RequestState state, int httpStatus)
    {
        if (state.Recorded)
            return;
        state.Recorded = true;
        var record = UsageRecord.ForTokens(new UsageRecord
        {
            RequestId = state.RequestId,
            Timestamp = time.GetUtcNow(),
            KeyId = state.KeyId ?? "unknown",
            RequestedModel = state.Model ?? "",
            Deployment = state.Trace.Deployment?.Id ?? state.Deployment,
            Provider = state.Provider,
            ProviderModel = state.ProviderModel,
            Status = httpStatus < 400 && state.ErrorKind is null ? "success" : "failure",
            HttpStatus = httpStatus,
            ErrorKind = state.ErrorKind,
            LatencyMs = Stopwatch.GetElapsedTime(state.StartTimestamp).TotalMilliseconds,
            TimeToFirstTokenMs = state.TimeToFirstTokenMs,
            Stream = state.Stream,
            Attempts = state.Trace.Attempts,
            Fallbacks = state.Trace.Fallbacks.Count == 0 ? null : string.Join(",", state.Trace.Fallbacks),
        }, state.Usage);
        // Not tied to the client's connection: a client that leaves must not cancel its own accounting.
        // Settling budgets and appending the record are one parallel round of store writes.
        var append = AppendAsync(record);
        var settle = SettleAsync(state);
        await Task.WhenAll(append, settle).ConfigureAwait(false);
    }

    private static readonly TimeSpan[] AppendRetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)];

    /// <summary>Retries a failed write twice; if the store still refuses, the record goes to the log as one JSON line
    /// (event 9, <c>usage_spooled</c>), which CloudWatch keeps, so an accepted request's accounting is never lost.</summary>
    private async Task AppendAsync(UsageRecord record)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await store.AppendAsync(record, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < AppendRetryDelays.Length)
            {
                Log.UsageWriteFailed(logger, record.RequestId, e);
                await Task.Delay(AppendRetryDelays[attempt]).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.UsageWriteFailed(logger, record.RequestId, e);
                Log.UsageSpooled(logger, System.Text.Json.JsonSerializer.Serialize(record, UsageJsonContext.Default.UsageRecord));
                return;
            }
        }
    }

    private async Task SettleAsync(RequestState state)
    {
        if (state.Admission is not { } admission || state.Caller is not { } caller)
            return;
        var cost = state.Usage is { } usage && state.Trace.Deployment is { } deployment && costs.PriceOf(deployment) is { } price
            ? CostCalculator.Cost(usage, price)
            : 0m;
        try
        {
            foreach (var owner in await governance.SettleAsync(admission, cost, state.Usage?.TotalTokens ?? 0, caller).ConfigureAwait(false))
                Log.SoftBudgetCrossed(logger, owner, state.RequestId);
        }
        catch (Exception e)
        {
            Log.SettleFailed(logger, state.RequestId, e);
        }
    }
}
