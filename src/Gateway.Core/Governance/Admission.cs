using Gateway.Core.Storage;

namespace Gateway.Core.Governance;

/// <summary>
/// The reservations one admitted request holds. <see cref="GovernanceService.SettleAsync"/> turns them into actual
/// spend and token counts (one parallel round of store writes) when the response ends, whatever the outcome.
/// </summary>
public sealed class Admission
{
    internal static readonly Admission None = new([], []);

    internal Admission(IReadOnlyList<MeterCheck> checks, IReadOnlyList<MeterOutcome> outcomes)
    {
        Checks = checks;
        Outcomes = outcomes;
    }

    internal IReadOnlyList<MeterCheck> Checks { get; }
    internal IReadOnlyList<MeterOutcome> Outcomes { get; }
    internal bool Settled { get; set; }

    /// <summary>OpenAI's <c>x-ratelimit-*</c> values for the tightest request and token limits, when any apply.</summary>
    public RateLimitStatus? Requests => Status(LimitKind.Requests);
    public RateLimitStatus? Tokens => Status(LimitKind.Tokens);

    private RateLimitStatus? Status(LimitKind kind)
    {
        RateLimitStatus? tightest = null;
        for (var i = 0; i < Checks.Count; i++)
        {
            var check = Checks[i];
            if (check.Kind != kind)
                continue;
            var remaining = Math.Max(0, check.Limit - Outcomes[i].Used);
            if (tightest is null || remaining < tightest.Value.Remaining)
                tightest = new RateLimitStatus((long)check.Limit, (long)remaining, check.ResetsAt ?? DateTimeOffset.UtcNow);
        }
        return tightest;
    }
}

public readonly record struct RateLimitStatus(long Limit, long Remaining, DateTimeOffset ResetsAt);
