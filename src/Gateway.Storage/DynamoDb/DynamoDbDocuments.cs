using System.Text;
using Amazon.DynamoDBv2.Model;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>Conditional puts, deletes and paged index queries shared by the document-like items (keys, teams, customers).</summary>
internal static class DynamoDbDocuments
{
    public static async Task<bool> PutAsync(DynamoDbTable table, Dictionary<string, AttributeValue> item, string? condition, CancellationToken cancellationToken)
    {
        try
        {
            await table.Client.PutItemAsync(new PutItemRequest { TableName = table.Name, Item = item, ConditionExpression = condition }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public static async Task<bool> DeleteAsync(DynamoDbTable table, Dictionary<string, AttributeValue> key, CancellationToken cancellationToken)
    {
        try
        {
            await table.Client.DeleteItemAsync(new DeleteItemRequest { TableName = table.Name, Key = key, ConditionExpression = "attribute_exists(pk)" },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public static async Task<(List<Dictionary<string, AttributeValue>> Items, string? Next)> QueryIndexAsync(DynamoDbTable table, string index,
        string partitionAttribute, string partition, int limit, string? pageToken, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        var start = Decode(pageToken);
        do
        {
            var response = await table.Client.QueryAsync(new QueryRequest
            {
                TableName = table.Name,
                IndexName = index,
                KeyConditionExpression = $"{partitionAttribute} = :p",
                ExpressionAttributeValues = new() { [":p"] = S(partition) },
                Limit = limit - items.Count,
                ExclusiveStartKey = start,
            }, cancellationToken).ConfigureAwait(false);
            items.AddRange(response.Items);
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (items.Count < limit && start is not null);
        return (items, start is null ? null : Encode(start));
    }

    /// <summary>An opaque page token: the DynamoDB start key's string attributes, base64url-encoded.</summary>
    private static string Encode(Dictionary<string, AttributeValue> key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', key.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Key + "=" + k.Value.S))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Dictionary<string, AttributeValue>? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - base64.Length % 4) % 4);
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n')
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => S(parts[1]));
    }
}
