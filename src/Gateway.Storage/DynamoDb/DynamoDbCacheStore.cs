using Amazon.DynamoDBv2.Model;
using Gateway.Core.Storage;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>Cached responses (<c>CACHE#hash</c>) with a TTL; an item past its TTL reads as a miss (DynamoDB deletes lazily).</summary>
public sealed class DynamoDbCacheStore(DynamoDbTable table, TimeProvider time) : IResponseCacheStore
{
    public async Task<ReadOnlyMemory<byte>?> GetAsync(string cacheKey, CancellationToken cancellationToken)
    {
        var response = await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = Key("CACHE#" + cacheKey, "CACHE") }, cancellationToken)
            .ConfigureAwait(false);
        var item = response.Item;
        if (item is null || !item.TryGetValue("value", out var value) || Long(item, "ttl") <= Epoch(time.GetUtcNow()))
            return null;
        return value.B.ToArray();
    }

    public Task PutAsync(string cacheKey, ReadOnlyMemory<byte> value, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var item = Key("CACHE#" + cacheKey, "CACHE");
        item["value"] = new AttributeValue { B = new MemoryStream(value.ToArray()) };
        item["ttl"] = N(Epoch(expiresAt));
        return DynamoDbDocuments.PutAsync(table, item, null, cancellationToken);
    }

    public Task DeleteAsync(string cacheKey, CancellationToken cancellationToken) =>
        table.Client.DeleteItemAsync(new DeleteItemRequest { TableName = table.Name, Key = Key("CACHE#" + cacheKey, "CACHE") }, cancellationToken);
}
