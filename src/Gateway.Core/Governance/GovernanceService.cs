using System.Globalization;
using Gateway.Core.Errors;
using Gateway.Core.Storage;

namespace Gateway.Core.Governance;

/// <summary>
/// Budgets and rate limits that hold across any number of instances. Before the provider call every check (budget
/// reservation at worst-case cost, rpm, tpm, parallel requests; for the key, its team and the end user) is one
/// conditional store update, all issued in parallel; if any is refused the others are rolled back and the request is
/// refused. After the call one parallel round settles reservations to the actual cost.
/// </summary>
public sealed class GovernanceService(IMeterStore meters, TimeProvider time, bool failOpen)
{
    private static readonly TimeSpan ParallelSlotLifetime = TimeSpan.FromMinutes(15);

    public async Task<Admission> AdmitAsync(Caller caller, CustomerRecord? endUser, long estimatedTokens, decimal worstCaseCost,
        CancellationToken cancellationToken)
    {
        var checks = Checks(caller, endUser, estimatedTokens, worstCaseCost, time.GetUtcNow());
        if (checks.Count == 0)
            return Admission.None;
        var attempts = checks.Select(c => meters.TryApplyAsync(c.Key, c.Delta, c.Limit, c.ExpiresAt, cancellationToken)).ToArray();
        try
        {
            await Task.WhenAll(attempts).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RollbackAsync(checks, attempts).ConfigureAwait(false);
            if (failOpen)
                return Admission.None;
            throw new GatewayError(ErrorKind.StoreUnavailable, 503,
                "Budgets and rate limits cannot be checked because the gateway's store is unavailable; try again shortly.",
                "api_error", "store_unavailable", retryAfter: TimeSpan.FromSeconds(1), inner: e);
        }
        var outcomes = attempts.Select(a => a.Result).ToArray();
        var refused = Array.FindIndex(outcomes, o => !o.Applied);
        if (refused < 0)
            return new Admission(checks, outcomes);
        await RollbackAsync(checks, attempts).ConfigureAwait(false);
        throw Refusal(checks[refused], outcomes[refused]);
    }

    /// <summary>Settles every reservation (also for failed requests, with whatever they cost) and raises soft-budget
    /// alerts once per period. A virtual key's spend is counted in its budget period even when it has no budget, so
    /// <c>/key/info</c> and <c>x-gateway-key-spend</c> always know it. Returns the owners whose soft budget this request
    /// crossed and the key's spend this period (after this request) when the caller has a virtual key.</summary>
    public async Task<SettleResult> SettleAsync(Admission? admission, decimal actualCost, long actualTokens, Caller caller)
    {
        admission ??= Admission.None;
        if (admission.Settled)
            return SettleResult.None;
        if (admission.Checks.Count > 0)
            admission.Settled = true; // never on the shared empty admission
        var writes = new List<Task>();
        decimal? keySpend = null;
        var keyEntity = caller.Key is { } k ? $"key:{k.KeyId}" : null;
        for (var i = 0; i < admission.Checks.Count; i++)
        {
            var check = admission.Checks[i];
            if (check.SettleDelta(actualCost, actualTokens) is { } delta)
                writes.Add(meters.ApplyAsync(check.Key, delta, check.ExpiresAt, CancellationToken.None));
            if (check.Kind == LimitKind.Budget && check.Key.Entity == keyEntity)
                keySpend = admission.Outcomes[i].Used - check.Delta.Reserved + actualCost;
        }
        Task<decimal>? untracked = null;
        if (caller.Key is { } key && keySpend is null)
            untracked = CountKeySpendAsync(key, actualCost);
        await Task.WhenAll(writes).ConfigureAwait(false);
        if (untracked is not null)
            keySpend = await untracked.ConfigureAwait(false);
        return new SettleResult(await SoftBudgetAlertsAsync(admission, actualCost, caller).ConfigureAwait(false), keySpend);
    }

    /// <summary>For keys without a budget: one unconditional increment that also returns the new total.</summary>
    private async Task<decimal> CountKeySpendAsync(VirtualKeyRecord key, decimal cost)
    {
        var period = BudgetPeriod.For(key.BudgetDuration, time.GetUtcNow());
        var meter = new MeterKey($"key:{key.KeyId}", "spend", period.Id);
        if (cost == 0)
            return (await meters.GetAsync(meter, CancellationToken.None).ConfigureAwait(false)).Spent;
        var outcome = await meters.TryApplyAsync(meter, new MeterDelta(cost), UntrackedLimit, period.Expiry, CancellationToken.None).ConfigureAwait(false);
        return outcome.Used;
    }

    /// <summary>The "limit" of a spend meter that has no budget: far above any real spend, within DynamoDB's number range.</summary>
    private const decimal UntrackedLimit = 1_000_000_000_000m;

    private async Task<IReadOnlyList<string>> SoftBudgetAlertsAsync(Admission admission, decimal actualCost, Caller caller)
    {
        List<string>? crossed = null;
        for (var i = 0; i < admission.Checks.Count; i++)
        {
            var check = admission.Checks[i];
            var soft = check.Kind != LimitKind.Budget ? null
                : check.Key.Entity.StartsWith("key:", StringComparison.Ordinal) ? caller.Key?.SoftBudget
                : check.Key.Entity.StartsWith("team:", StringComparison.Ordinal) ? caller.Team?.SoftBudget : null;
            var spentAfter = admission.Outcomes[i].Used - check.Delta.Reserved + actualCost;
            if (soft is null || spentAfter < soft)
                continue;
            var alert = new MeterKey(check.Key.Entity, "alert:soft_budget", check.Key.Period);
            var first = await meters.TryApplyAsync(alert, new MeterDelta(1), 1, check.ExpiresAt, CancellationToken.None).ConfigureAwait(false);
            if (first.Applied)
                (crossed ??= []).Add(check.Owner);
        }
        return crossed ?? (IReadOnlyList<string>)[];
    }

    private async Task RollbackAsync(IReadOnlyList<MeterCheck> checks, Task<MeterOutcome>[] attempts)
    {
        var undo = new List<Task>();
        for (var i = 0; i < checks.Count; i++)
            if (attempts[i].IsCompletedSuccessfully && attempts[i].Result.Applied && checks[i].Rollback() is { } delta)
                undo.Add(meters.ApplyAsync(checks[i].Key, delta, checks[i].ExpiresAt, CancellationToken.None));
        try
        {
            await Task.WhenAll(undo).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Best effort: a rollback lost to an outage leaves a reservation that expires with its period.
        }
    }

    private static List<MeterCheck> Checks(Caller caller, CustomerRecord? endUser, long tokens, decimal worstCase, DateTimeOffset now)
    {
        var checks = new List<MeterCheck>(8);
        if (caller.Key is { } key)
            Add(checks, $"key:{key.KeyId}", $"key '{key.KeyAlias ?? key.KeyId}'", key.MaxBudget, key.BudgetDuration, key.RpmLimit, key.TpmLimit,
                key.MaxParallelRequests, tokens, worstCase, now);
        if (caller.Team is { } team)
            Add(checks, $"team:{team.TeamId}", $"team '{team.TeamAlias ?? team.TeamId}'", team.MaxBudget, team.BudgetDuration, team.RpmLimit,
                team.TpmLimit, team.MaxParallelRequests, tokens, worstCase, now);
        if (endUser is { MaxBudget: not null })
            Add(checks, $"user:{endUser.UserId}", $"end user '{endUser.Alias ?? endUser.UserId}'", endUser.MaxBudget, endUser.BudgetDuration,
                null, null, null, tokens, worstCase, now);
        return checks;
    }

    private static void Add(List<MeterCheck> checks, string entity, string owner, decimal? budget, string? duration, int? rpm, long? tpm,
        int? parallel, long tokens, decimal worstCase, DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var minuteId = minute.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
        if (budget is { } max)
        {
            var period = BudgetPeriod.For(duration, now);
            checks.Add(new MeterCheck(new MeterKey(entity, "spend", period.Id), MeterDelta.Reserve(worstCase), max, period.Expiry,
                LimitKind.Budget, owner, period.Reset));
        }
        if (rpm is { } r)
            checks.Add(new MeterCheck(new MeterKey(entity, "rpm", minuteId), new MeterDelta(1), r, minute.AddMinutes(5), LimitKind.Requests, owner, minute.AddMinutes(1)));
        if (tpm is { } t)
            checks.Add(new MeterCheck(new MeterKey(entity, "tpm", minuteId), new MeterDelta(tokens), t, minute.AddMinutes(5), LimitKind.Tokens, owner, minute.AddMinutes(1)));
        if (parallel is { } p)
            checks.Add(new MeterCheck(new MeterKey(entity, "parallel", "current"), new MeterDelta(1), p, now + ParallelSlotLifetime, LimitKind.Parallel, owner, null));
    }

    private GatewayError Refusal(MeterCheck check, MeterOutcome outcome)
    {
        var wait = check.ResetsAt is { } reset ? reset - time.GetUtcNow() : TimeSpan.FromSeconds(1);
        var resets = check.ResetsAt is { } at ? $" It resets at {at:yyyy-MM-ddTHH:mm:ssZ}." : "";
        return check.Kind switch
        {
            LimitKind.Budget => new GatewayError(ErrorKind.BudgetExceeded, 429,
                $"Budget exceeded for {check.Owner}: {Usd(outcome.Used)} of {Usd(check.Limit)} used or reserved this period, and this request may cost up to {Usd(check.Delta.Reserved)}.{resets}",
                "insufficient_quota", "insufficient_quota", retryAfter: check.ResetsAt is null ? null : wait),
            LimitKind.Parallel => new GatewayError(ErrorKind.RateLimited, 429,
                $"Too many parallel requests for {check.Owner}: the limit is {check.Limit}.", "requests", "rate_limit_exceeded", retryAfter: TimeSpan.FromSeconds(1)),
            _ => new GatewayError(ErrorKind.RateLimited, 429,
                $"Rate limit reached for {check.Owner}: {check.Limit} {(check.Kind == LimitKind.Tokens ? "tokens" : "requests")} per minute.{resets}",
                check.Kind == LimitKind.Tokens ? "tokens" : "requests", "rate_limit_exceeded", retryAfter: wait),
        };
    }

    private static string Usd(decimal value) => "$" + value.ToString("0.######", CultureInfo.InvariantCulture);
}

/// <summary>What settling a request found: soft budgets it crossed (owners), and the key's spend this period.</summary>
public sealed record SettleResult(IReadOnlyList<string> SoftBudgetCrossed, decimal? KeySpend)
{
    public static readonly SettleResult None = new([], null);
}
