using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Gateway.Storage.DynamoDb;

/// <summary>The table's key schema and indexes (the SAM template declares the same; tests create it on moto).</summary>
public static class DynamoDbTableSchema
{
    /// <summary>Keys by team, and every key (gsi1pk = <c>TEAMKEYS#team</c> or <c>KEYS</c>).</summary>
    public const string KeysIndex = "gsi1";
    /// <summary>Usage by key id, time ordered.</summary>
    public const string UsageByKeyIndex = "gsi2";

    public static CreateTableRequest CreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new("pk", ScalarAttributeType.S), new("sk", ScalarAttributeType.S),
            new("gsi1pk", ScalarAttributeType.S), new("gsi1sk", ScalarAttributeType.S),
            new("gsi2pk", ScalarAttributeType.S), new("gsi2sk", ScalarAttributeType.S),
        ],
        KeySchema = [new("pk", KeyType.HASH), new("sk", KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            Index(KeysIndex, "gsi1pk", "gsi1sk"),
            Index(UsageByKeyIndex, "gsi2pk", "gsi2sk"),
        ],
    };

    private static GlobalSecondaryIndex Index(string name, string pk, string sk) => new()
    {
        IndexName = name,
        KeySchema = [new(pk, KeyType.HASH), new(sk, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
