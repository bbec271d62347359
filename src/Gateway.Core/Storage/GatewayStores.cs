namespace Gateway.Core.Storage;

/// <summary>Every store the gateway uses, from one backend (the embedded SQLite file, or DynamoDB).
/// The host registers each; callers depend only on the interfaces.</summary>
public sealed record GatewayStores(
    IUsageStore Usage,
    IMeterStore Meters,
    IResponseCacheStore Cache,
    IKeyStore Keys,
    ITeamStore Teams,
    ICustomerStore Customers,
    IRollupStore Rollups,
    IStoreHealth Health,
    string Description,
    IAsyncDisposable Owner);

/// <summary>Which backend holds the stores (<c>gateway_settings</c>).</summary>
public sealed record StoreSettings
{
    public const string Sqlite = "sqlite";
    public const string DynamoDb = "dynamodb";

    public string Kind { get; init; } = Sqlite;
    public string? DataDir { get; init; }
    /// <summary>The single DynamoDB table holding every item kind.</summary>
    public string? DynamoDbTable { get; init; }
    /// <summary>Endpoint override (moto_server, DynamoDB Local); null means the region's AWS endpoint.</summary>
    public string? DynamoDbEndpoint { get; init; }
    public string? Region { get; init; }
    /// <summary>When the store cannot be reached for a budget or limit decision: refuse (503, the default) or allow.</summary>
    public bool FailOpen { get; init; }
    /// <summary>How long usage records are kept (<c>general_settings.maximum_spend_logs_retention_period</c>); rollups keep the history.</summary>
    public TimeSpan UsageRetention { get; init; } = TimeSpan.FromDays(90);
}
