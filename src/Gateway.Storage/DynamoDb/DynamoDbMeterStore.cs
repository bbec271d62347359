using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Gateway.Core.Storage;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>
/// Budget and rate counters as single items updated atomically. A reservation is ONE UpdateItem whose condition holds
/// the limit (<c>used &lt;= limit - delta</c>; DynamoDB conditions cannot add, so the subtraction is done before sending).
/// An item whose TTL has passed (DynamoDB deletes lazily) counts as zero: a second conditional write restarts it.
/// </summary>
public sealed class DynamoDbMeterStore(DynamoDbTable table, TimeProvider time) : IMeterStore
{
    public async Task<MeterOutcome> TryApplyAsync(MeterKey key, MeterDelta delta, decimal limit, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var now = Epoch(time.GetUtcNow());
        try
        {
            var response = await table.Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table.Name,
                Key = ItemKey(key),
                UpdateExpression = "ADD used :d, reserved :r SET #ttl = :x",
                ConditionExpression = "(attribute_not_exists(used) AND :zero <= :lim) OR (used <= :lim AND #ttl >= :now)",
                ExpressionAttributeNames = new() { ["#ttl"] = "ttl" },
                ExpressionAttributeValues = Values(delta, expiresAt, limit - delta.Used, now),
                ReturnValues = ReturnValue.UPDATED_NEW,
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken).ConfigureAwait(false);
            return new MeterOutcome(true, Dec(response.Attributes, "used"));
        }
        catch (ConditionalCheckFailedException e)
        {
            if (e.Item is { } old && Long(old, "ttl") < now)
                return await RestartAsync(key, delta, limit, expiresAt, now, cancellationToken).ConfigureAwait(false);
            return new MeterOutcome(false, e.Item is { } item ? Dec(item, "used") : 0);
        }
    }

    public async Task ApplyAsync(MeterKey key, MeterDelta delta, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await table.Client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table.Name,
            Key = ItemKey(key),
            UpdateExpression = "ADD used :d, reserved :r SET #ttl = if_not_exists(#ttl, :x)",
            ExpressionAttributeNames = new() { ["#ttl"] = "ttl" },
            ExpressionAttributeValues = new() { [":d"] = N(delta.Used), [":r"] = N(delta.Reserved), [":x"] = N(Epoch(expiresAt)) },
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MeterSnapshot> GetAsync(MeterKey key, CancellationToken cancellationToken)
    {
        var response = await table.Client.GetItemAsync(new GetItemRequest { TableName = table.Name, Key = ItemKey(key), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        var item = response.Item;
        return item is null || item.Count == 0 || Long(item, "ttl") < Epoch(time.GetUtcNow())
            ? default
            : new MeterSnapshot(Dec(item, "used"), Dec(item, "reserved"));
    }

    /// <summary>The item is expired: replace it with the delta alone, only if it is still the expired one.</summary>
    private async Task<MeterOutcome> RestartAsync(MeterKey key, MeterDelta delta, decimal limit, DateTimeOffset expiresAt, long now, CancellationToken cancellationToken)
    {
        if (delta.Used > limit)
            return new MeterOutcome(false, 0);
        try
        {
            await table.Client.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table.Name,
                Key = ItemKey(key),
                UpdateExpression = "SET used = :d, reserved = :r, #ttl = :x",
                ConditionExpression = "#ttl < :now",
                ExpressionAttributeNames = new() { ["#ttl"] = "ttl" },
                ExpressionAttributeValues = new() { [":d"] = N(delta.Used), [":r"] = N(delta.Reserved), [":x"] = N(Epoch(expiresAt)), [":now"] = N(now) },
            }, cancellationToken).ConfigureAwait(false);
            return new MeterOutcome(true, delta.Used);
        }
        catch (ConditionalCheckFailedException)
        {
            return await TryApplyAsync(key, delta, limit, expiresAt, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<string, AttributeValue> ItemKey(MeterKey key) => Key("METER#" + key.Entity, key.Meter + "#" + key.Period);

    private static Dictionary<string, AttributeValue> Values(MeterDelta delta, DateTimeOffset expiresAt, decimal limitMinusDelta, long now) => new()
    {
        [":d"] = N(delta.Used),
        [":r"] = N(delta.Reserved),
        [":x"] = N(Epoch(expiresAt)),
        [":lim"] = N(limitMinusDelta),
        [":zero"] = N(0m),
        [":now"] = N(now),
    };
}
