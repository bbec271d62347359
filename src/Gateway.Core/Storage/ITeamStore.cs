namespace Gateway.Core.Storage;

/// <summary>A team: its own budget and limits, which every key of the team must also fit.</summary>
public sealed record TeamRecord
{
    public required string TeamId { get; init; }
    public string? TeamAlias { get; init; }
    public decimal? MaxBudget { get; init; }
    public decimal? SoftBudget { get; init; }
    public string? BudgetDuration { get; init; }
    public int? RpmLimit { get; init; }
    public long? TpmLimit { get; init; }
    public int? MaxParallelRequests { get; init; }
    public IReadOnlyList<string> Models { get; init; } = [];
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public bool Blocked { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Teams by id.</summary>
public interface ITeamStore
{
    Task<TeamRecord?> GetAsync(string teamId, CancellationToken cancellationToken);
    /// <summary>Creates the team; returns false if the id exists.</summary>
    Task<bool> CreateAsync(TeamRecord team, CancellationToken cancellationToken);
    /// <summary>Replaces an existing team; returns false if it does not exist.</summary>
    Task<bool> UpdateAsync(TeamRecord team, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string teamId, CancellationToken cancellationToken);
    Task<TeamPage> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken);
}

public sealed record TeamPage(IReadOnlyList<TeamRecord> Teams, string? NextPageToken);

/// <summary>An end user (LiteLLM's "customer"): the <c>user</c> field or <c>x-gateway-end-user</c> header, with an optional budget.</summary>
public sealed record CustomerRecord
{
    public required string UserId { get; init; }
    public string? Alias { get; init; }
    public decimal? MaxBudget { get; init; }
    public string? BudgetDuration { get; init; }
    public bool Blocked { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>End users by id.</summary>
public interface ICustomerStore
{
    Task<CustomerRecord?> GetAsync(string userId, CancellationToken cancellationToken);
    /// <summary>Creates or replaces.</summary>
    Task PutAsync(CustomerRecord customer, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string userId, CancellationToken cancellationToken);
}
