using Gateway.Core.Storage;

namespace Gateway.Core.Governance;

/// <summary>One budget's state this period, as finance reads it.</summary>
public sealed record BudgetStatus
{
    /// <summary><c>key</c> or <c>team</c>.</summary>
    public required string Kind { get; init; }
    public required string Id { get; init; }
    public string? Alias { get; init; }
    public decimal? MaxBudget { get; init; }
    public decimal? SoftBudget { get; init; }
    public string? BudgetDuration { get; init; }
    public required string PeriodId { get; init; }
    public DateTimeOffset PeriodStart { get; init; }
    /// <summary>Null for a budget without a duration (one period for all time).</summary>
    public DateTimeOffset? ResetAt { get; init; }
    public decimal Spent { get; init; }
    /// <summary>Worst-case cost of requests in flight, held against the budget until they settle.</summary>
    public decimal Reserved { get; init; }
    /// <summary>Spend at the period's end if it goes on at this period's average rate so far (linear; the first hour counts as an hour).</summary>
    public decimal Projected { get; init; }

    /// <summary>The meter this budget's spend is counted in (<c>key:id</c>, <c>team:id</c>).</summary>
    public string Entity => $"{Kind}:{Id}";
}

/// <summary>
/// Every key and team budget with what was spent and reserved this period (read from the same meters the hot path
/// reserves against, so it is exact, not a rollup estimate). End-user budgets are not listed: the customer store
/// has no listing.
/// </summary>
public sealed class BudgetOverview(IKeyStore keys, ITeamStore teams, IMeterStore meters, TimeProvider time)
{
    private const int PageSize = 200;

    public async Task<IReadOnlyList<BudgetStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var budgets = new List<(string Kind, string Id, string? Alias, decimal? Max, decimal? Soft, string? Duration)>();
        var teamIds = new List<string>();
        string? token = null;
        do
        {
            var page = await teams.ListAsync(PageSize, token, cancellationToken).ConfigureAwait(false);
            teamIds.AddRange(page.Teams.Select(t => t.TeamId));
            budgets.AddRange(page.Teams.Where(t => t.MaxBudget is not null || t.SoftBudget is not null)
                .Select(t => ("team", t.TeamId, t.TeamAlias, t.MaxBudget, t.SoftBudget, t.BudgetDuration)));
            token = page.NextPageToken;
        }
        while (token is not null);
        // Keys are listed per team and without one (DynamoDB indexes them that way); a backend whose team-less listing
        // returns every key is deduplicated by hash.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var teamId in teamIds.Prepend(null))
        {
            do
            {
                var page = await keys.ListAsync(teamId, PageSize, token, cancellationToken).ConfigureAwait(false);
                budgets.AddRange(page.Keys.Where(k => (k.MaxBudget is not null || k.SoftBudget is not null) && seen.Add(k.KeyHash))
                    .Select(k => ("key", k.KeyId, k.KeyAlias, k.MaxBudget, k.SoftBudget, k.BudgetDuration)));
                token = page.NextPageToken;
            }
            while (token is not null);
        }
        // Bounded parallelism: a fleet of thousands of budgets must not open thousands of store calls at once.
        var statuses = new BudgetStatus[budgets.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, budgets.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var b = budgets[i];
                var period = BudgetPeriod.For(b.Duration, now);
                var meter = await meters.GetAsync(new MeterKey($"{b.Kind}:{b.Id}", "spend", period.Id), ct).ConfigureAwait(false);
                statuses[i] = new BudgetStatus
                {
                    Kind = b.Kind, Id = b.Id, Alias = b.Alias, MaxBudget = b.Max, SoftBudget = b.Soft, BudgetDuration = b.Duration,
                    PeriodId = period.Id, PeriodStart = period.Start, ResetAt = period.Reset, Spent = meter.Spent, Reserved = meter.Reserved,
                    Projected = Project(meter.Spent, period, now),
                };
            }).ConfigureAwait(false);
        return statuses;
    }

    public static decimal Project(decimal spent, BudgetPeriod period, DateTimeOffset now)
    {
        if (period.Reset is not { } reset)
            return spent;
        var length = (reset - period.Start).TotalHours;
        var elapsed = Math.Max(1.0, (now - period.Start).TotalHours);
        return elapsed >= length ? spent : decimal.Round(spent * (decimal)(length / elapsed), 6);
    }
}
