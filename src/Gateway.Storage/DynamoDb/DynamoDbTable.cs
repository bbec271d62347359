using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Gateway.Storage.DynamoDb;

/// <summary>The one table every item kind lives in (<c>pk</c>/<c>sk</c>, TTL on <c>ttl</c>), and attribute helpers.</summary>
public sealed class DynamoDbTable(IAmazonDynamoDB client, string name)
{
    public IAmazonDynamoDB Client { get; } = client;
    public string Name { get; } = name;

    public static AttributeValue S(string value) => new() { S = value };
    public static AttributeValue N(decimal value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
    public static AttributeValue N(double value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    public static Dictionary<string, AttributeValue> Key(string pk, string sk) => new() { ["pk"] = S(pk), ["sk"] = S(sk) };

    public static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.S is not null ? v.S : null;

    public static decimal Dec(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? decimal.Parse(v.N, NumberStyles.Float, CultureInfo.InvariantCulture) : 0m;

    public static long Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? long.Parse(v.N, NumberStyles.Integer, CultureInfo.InvariantCulture) : 0;

    public static double? Dbl(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is not null ? double.Parse(v.N, NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    public static long Epoch(DateTimeOffset time) => time.ToUnixTimeSeconds();
}
