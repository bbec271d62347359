using Gateway.Core.Storage;

namespace Gateway.Core.Governance;

/// <summary>One conditional reservation a request needs before it may run, and what refusing it means.</summary>
internal sealed record MeterCheck(MeterKey Key, MeterDelta Delta, decimal Limit, DateTimeOffset ExpiresAt, LimitKind Kind, string Owner, DateTimeOffset? ResetsAt)
{
    /// <summary>What to apply when the request ends: settle budgets to the actual cost, correct tokens, free the parallel slot.</summary>
    public MeterDelta? SettleDelta(decimal actualCost, long actualTokens) => Kind switch
    {
        LimitKind.Budget => MeterDelta.Settle(Delta.Reserved, actualCost),
        LimitKind.Tokens when actualTokens != (long)Delta.Used => new MeterDelta(actualTokens - Delta.Used),
        LimitKind.Parallel => new MeterDelta(-1),
        _ => null,
    };

    /// <summary>Undo when a sibling check was refused, or the request failed before it could cost anything.</summary>
    public MeterDelta? Rollback() => Kind switch
    {
        LimitKind.Budget => MeterDelta.Release(Delta.Reserved),
        _ => new MeterDelta(-Delta.Used),
    };
}

internal enum LimitKind
{
    Budget,
    Requests,
    Tokens,
    Parallel,
}
