using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>Teams (<c>TEAM#id</c>, listed through gsi1 under <c>TEAMS</c>) and end users (<c>CUSTOMER#id</c>).</summary>
public sealed class DynamoDbTeamStore(DynamoDbTable table) : ITeamStore, ICustomerStore
{
    public async Task<TeamRecord?> GetAsync(string teamId, CancellationToken cancellationToken) =>
        await GetBodyAsync("TEAM#" + teamId, "TEAM", cancellationToken).ConfigureAwait(false) is { } body
            ? JsonSerializer.Deserialize(body, StorageJsonContext.Default.TeamRecord)
            : null;

    public Task<bool> CreateAsync(TeamRecord team, CancellationToken cancellationToken) =>
        DynamoDbDocuments.PutAsync(table, Item(team), "attribute_not_exists(pk)", cancellationToken);

    public Task<bool> UpdateAsync(TeamRecord team, CancellationToken cancellationToken) =>
        DynamoDbDocuments.PutAsync(table, Item(team), "attribute_exists(pk)", cancellationToken);

    public Task<bool> DeleteAsync(string teamId, CancellationToken cancellationToken) =>
        DynamoDbDocuments.DeleteAsync(table, Key("TEAM#" + teamId, "TEAM"), cancellationToken);

    public async Task<TeamPage> ListAsync(int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var (items, next) = await DynamoDbDocuments.QueryIndexAsync(table, DynamoDbTableSchema.KeysIndex, "gsi1pk", "TEAMS", limit, pageToken, cancellationToken)
            .ConfigureAwait(false);
        return new TeamPage(items.Select(i => JsonSerializer.Deserialize(Str(i, "body")!, StorageJsonContext.Default.TeamRecord)!).ToList(), next);
    }

    async Task<CustomerRecord?> ICustomerStore.GetAsync(string userId, CancellationToken cancellationToken) =>
        await GetBodyAsync("CUSTOMER#" + userId, "CUSTOMER", cancellationToken).ConfigureAwait(false) is { } body
            ? JsonSerializer.Deserialize(body, StorageJsonContext.Default.CustomerRecord)
            : null;

    public Task PutAsync(CustomerRecord customer, CancellationToken cancellationToken)
    {
        var item = Key("CUSTOMER#" + customer.UserId, "CUSTOMER");
        item["body"] = S(JsonSerializer.Serialize(customer, StorageJsonContext.Default.CustomerRecord));
        return DynamoDbDocuments.PutAsync(table, item, null, cancellationToken);
    }

    Task<bool> ICustomerStore.DeleteAsync(string userId, CancellationToken cancellationToken) =>
        DynamoDbDocuments.DeleteAsync(table, Key("CUSTOMER#" + userId, "CUSTOMER"), cancellationToken);

    private async Task<string?> GetBodyAsync(string pk, string sk, CancellationToken cancellationToken)
    {
        var response = await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = Key(pk, sk) }, cancellationToken).ConfigureAwait(false);
        return Str(response.Item ?? [], "body");
    }

    private static Dictionary<string, AttributeValue> Item(TeamRecord team)
    {
        var item = Key("TEAM#" + team.TeamId, "TEAM");
        item["body"] = S(JsonSerializer.Serialize(team, StorageJsonContext.Default.TeamRecord));
        item["gsi1pk"] = S("TEAMS");
        item["gsi1sk"] = S(team.TeamId);
        return item;
    }
}
