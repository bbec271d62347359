using System.Diagnostics;
using Gateway.Api.Http;
using Gateway.Api.Observability;
using Gateway.Core.Governance;
using Gateway.Core.Pricing;
using Gateway.Core.Storage;
using Gateway.Core.Usage;

namespace Gateway.Api.Chat;

/// <summary>Writes the request's usage record exactly once, before its response completes.</summary>
internal sealed class UsageRecorder(IUsageStore store, GovernanceService governance, CostCalculator costs, TimeProvider time, EmbeddedMetrics metrics,
    Alerts.BudgetAlertTrigger alerts, ILogger<UsageRecorder> logger)
{
    /// <summary>The cap on stored request and answer bodies when <c>store_prompts_in_spend_logs</c> is on.</summary>
    public const int BodyCap = 4096;

    /// <summary>Computes the cost, settles budgets and writes the record; afterwards <see cref="RequestState.Cost"/> and
    /// <see cref="RequestState.KeySpend"/> hold what the response headers report.</summary>
    public async Task RecordAsync(RequestState state, int httpStatus)
    {
        if (state.Recorded)
            return;
        state.Recorded = true;
        var deployment = state.Trace.Deployment;
        var price = deployment is null ? null : costs.PriceOf(deployment);
        var tokens = state.Usage is { } u && (u.PromptTokens > 0 || u.CompletionTokens > 0);
        // A cache hit costs nothing; a call with no tokens costs nothing; a priced call costs its tokens; otherwise unknown.
        state.Cost = state.CacheStatus == "hit" || !tokens ? 0m : price is null ? null : CostCalculator.Cost(state.Usage!.Value, price);
        var unpriced = state.Cost is null;
        var settle = SettleAsync(state);
        var record = UsageRecord.ForTokens(new UsageRecord
        {
            RequestId = state.RequestId,
            Timestamp = time.GetUtcNow(),
            KeyId = state.KeyId ?? "unknown",
            KeyAlias = state.Caller?.Key?.KeyAlias,
            TeamId = state.Caller?.Team?.TeamId ?? state.Caller?.Key?.TeamId,
            EndUser = state.EndUser,
            Tags = state.Tags,
            RequestedModel = state.Model ?? "",
            ModelGroup = state.Group,
            Region = deployment?.Param("aws_region_name"),
            Cost = state.Cost,
            SavedCost = state.SavedCost,
            Unpriced = unpriced,
            CacheStatus = state.CacheStatus,
            RequestBody = state.RequestBody,
            ResponseBody = state.ResponseBody is { } body ? Cap(body.ToString()) : null,
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
        metrics.Write(record);
        await Task.WhenAll(append, settle).ConfigureAwait(false);
    }

    public static string Cap(string text) => text.Length <= BodyCap ? text : text[..BodyCap];

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

    /// <summary>An unpriced request settles at 0: its reservation is released rather than guessed at (the record says unpriced).</summary>
    private async Task SettleAsync(RequestState state)
    {
        if (state.Caller is not { } caller || (state.Admission is null && caller.Key is null))
            return;
        try
        {
            var result = await governance.SettleAsync(state.Admission, state.Cost ?? 0m, state.Usage?.TotalTokens ?? 0, caller).ConfigureAwait(false);
            state.KeySpend = result.KeySpend;
            foreach (var owner in result.SoftBudgetCrossed)
                Log.SoftBudgetCrossed(logger, owner, state.RequestId);
            if (alerts.ShouldFire(caller, result))
                await alerts.FireAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.SettleFailed(logger, state.RequestId, e);
        }
    }
}
