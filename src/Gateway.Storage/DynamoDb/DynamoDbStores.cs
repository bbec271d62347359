using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Gateway.Core.Storage;

namespace Gateway.Storage.DynamoDb;

/// <summary>Every store on one DynamoDB table. The client retries throttling with the SDK's standard backoff.</summary>
public static class DynamoDbStores
{
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(90);

    public static GatewayStores Create(StoreSettings settings, TimeProvider time, AWSCredentials? credentials = null)
    {
        var region = settings.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        var config = new AmazonDynamoDBConfig { RetryMode = RequestRetryMode.Standard, MaxErrorRetry = 5, Timeout = TimeSpan.FromSeconds(10) };
        if (settings.DynamoDbEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        var client = credentials is null ? new AmazonDynamoDBClient(config) : new AmazonDynamoDBClient(credentials, config);
        var table = new DynamoDbTable(client, settings.DynamoDbTable ?? throw new InvalidOperationException("gateway_settings.dynamodb_table is required."));
        var teams = new DynamoDbTeamStore(table);
        return new GatewayStores(
            new DynamoDbUsageStore(table, settings.UsageRetention, time),
            new DynamoDbMeterStore(table, time),
            new DynamoDbCacheStore(table, time),
            new DynamoDbKeyStore(table),
            teams,
            teams,
            new DynamoDbRollupStore(table),
            new DynamoDbStoreHealth(table),
            $"dynamodb:{table.Name}" + (settings.DynamoDbEndpoint is { } e ? $"@{e}" : $" ({region})"),
            new ClientOwner(client));
    }

    private sealed class ClientOwner(IAmazonDynamoDB client) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Readiness: one cheap key read answers.</summary>
public sealed class DynamoDbStoreHealth(DynamoDbTable table) : IStoreHealth
{
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = DynamoDbTable.Key("HEALTH", "HEALTH") }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonServiceException)
        {
            return false;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
