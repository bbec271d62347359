using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Gateway.Core.Storage;
using Gateway.Storage.Sqlite;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>Virtual keys by hash (<c>KEY#hash</c>); listed by team and overall through gsi1 in creation order.</summary>
public sealed class DynamoDbKeyStore(DynamoDbTable table) : IKeyStore
{
    public async Task<VirtualKeyRecord?> GetByHashAsync(string keyHash, CancellationToken cancellationToken)
    {
        var response = await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = Key("KEY#" + keyHash, "KEY") }, cancellationToken).ConfigureAwait(false);
        return Str(response.Item ?? [], "body") is { } body ? JsonSerializer.Deserialize(body, StorageJsonContext.Default.VirtualKeyRecord) : null;
    }

    public Task<bool> CreateAsync(VirtualKeyRecord key, CancellationToken cancellationToken) =>
        DynamoDbDocuments.PutAsync(table, Item(key), "attribute_not_exists(pk)", cancellationToken);

    public Task<bool> UpdateAsync(VirtualKeyRecord key, CancellationToken cancellationToken) =>
        DynamoDbDocuments.PutAsync(table, Item(key), "attribute_exists(pk)", cancellationToken);

    public Task<bool> DeleteAsync(string keyHash, CancellationToken cancellationToken) =>
        DynamoDbDocuments.DeleteAsync(table, Key("KEY#" + keyHash, "KEY"), cancellationToken);

    public async Task<KeyPage> ListAsync(string? teamId, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var (items, next) = await DynamoDbDocuments.QueryIndexAsync(table, DynamoDbTableSchema.KeysIndex, "gsi1pk",
            teamId is null ? "KEYS" : "TEAMKEYS#" + teamId, limit, pageToken, cancellationToken).ConfigureAwait(false);
        return new KeyPage(items.Select(i => JsonSerializer.Deserialize(Str(i, "body")!, StorageJsonContext.Default.VirtualKeyRecord)!).ToList(), next);
    }

    /// <summary>A key with a team is listed under its team; one without is listed under <c>KEYS</c>. Listing all keys
    /// of every team reads the same index with the team's partition, so admins list by team on large fleets.</summary>
    private static Dictionary<string, AttributeValue> Item(VirtualKeyRecord key)
    {
        var item = Key("KEY#" + key.KeyHash, "KEY");
        item["body"] = S(JsonSerializer.Serialize(key, StorageJsonContext.Default.VirtualKeyRecord));
        item["gsi1pk"] = S(key.TeamId is null ? "KEYS" : "TEAMKEYS#" + key.TeamId);
        item["gsi1sk"] = S(key.CreatedAt.ToUnixTimeMilliseconds().ToString("D15", CultureInfo.InvariantCulture) + "#" + key.KeyHash);
        return item;
    }
}
