using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Gateway.Core.Usage;
using static Gateway.Storage.DynamoDb.DynamoDbTable;

namespace Gateway.Storage.DynamoDb;

/// <summary>Maps a usage record to and from its item.</summary>
internal static class DynamoDbUsageItem
{
    public static Dictionary<string, AttributeValue> From(UsageRecord r, TimeSpan retention)
    {
        var ts = r.Timestamp.ToUnixTimeMilliseconds();
        var sortKey = DynamoDbUsageStore.SortKey(ts, r.RequestId);
        var day = r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var item = Key($"USAGE#{day}#{DynamoDbUsageStore.ShardOf(r.RequestId):D2}", sortKey);
        item["gsi2pk"] = S("USAGEKEY#" + r.KeyId);
        item["gsi2sk"] = S(sortKey);
        item["ttl"] = N(Epoch(r.Timestamp + retention));
        item["request_id"] = S(r.RequestId);
        item["ts"] = N(ts);
        item["key_id"] = S(r.KeyId);
        item["requested_model"] = S(r.RequestedModel);
        Optional(item, "deployment", r.Deployment);
        Optional(item, "provider", r.Provider);
        Optional(item, "provider_model", r.ProviderModel);
        item["status"] = S(r.Status);
        item["http_status"] = N(r.HttpStatus);
        Optional(item, "error_kind", r.ErrorKind);
        item["prompt_tokens"] = N(r.PromptTokens);
        item["completion_tokens"] = N(r.CompletionTokens);
        item["cached_read_tokens"] = N(r.CachedReadTokens);
        item["cache_write_tokens"] = N(r.CacheWriteTokens);
        item["reasoning_tokens"] = N(r.ReasoningTokens);
        item["latency_ms"] = N(r.LatencyMs);
        if (r.TimeToFirstTokenMs is { } ttft)
            item["ttft_ms"] = N(ttft);
        item["stream"] = new AttributeValue { BOOL = r.Stream };
        item["attempts"] = N(r.Attempts);
        Optional(item, "fallbacks", r.Fallbacks);
        Optional(item, "key_alias", r.KeyAlias);
        Optional(item, "team_id", r.TeamId);
        Optional(item, "end_user", r.EndUser);
        Optional(item, "model_group", r.ModelGroup);
        Optional(item, "region", r.Region);
        if (r.Tags.Count > 0)
            item["tags"] = new AttributeValue { L = r.Tags.Select(S).ToList() };
        if (r.Cost is { } cost)
            item["cost"] = N(cost);
        item["saved_cost"] = N(r.SavedCost);
        if (r.Unpriced)
            item["unpriced"] = new AttributeValue { BOOL = true };
        Optional(item, "cache_status", r.CacheStatus);
        Optional(item, "request_body", r.RequestBody);
        Optional(item, "response_body", r.ResponseBody);
        return item;
    }

    public static UsageRecord Read(Dictionary<string, AttributeValue> i) => new()
    {
        RequestId = Str(i, "request_id")!,
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(Long(i, "ts")),
        KeyId = Str(i, "key_id")!,
        RequestedModel = Str(i, "requested_model") ?? "",
        Deployment = Str(i, "deployment"),
        Provider = Str(i, "provider"),
        ProviderModel = Str(i, "provider_model"),
        Status = Str(i, "status")!,
        HttpStatus = (int)Long(i, "http_status"),
        ErrorKind = Str(i, "error_kind"),
        PromptTokens = Long(i, "prompt_tokens"),
        CompletionTokens = Long(i, "completion_tokens"),
        CachedReadTokens = Long(i, "cached_read_tokens"),
        CacheWriteTokens = Long(i, "cache_write_tokens"),
        ReasoningTokens = Long(i, "reasoning_tokens"),
        LatencyMs = Dbl(i, "latency_ms") ?? 0,
        TimeToFirstTokenMs = Dbl(i, "ttft_ms"),
        Stream = i.TryGetValue("stream", out var s) && s.BOOL == true,
        Attempts = (int)Long(i, "attempts"),
        Fallbacks = Str(i, "fallbacks"),
        KeyAlias = Str(i, "key_alias"),
        TeamId = Str(i, "team_id"),
        EndUser = Str(i, "end_user"),
        ModelGroup = Str(i, "model_group"),
        Region = Str(i, "region"),
        Tags = i.TryGetValue("tags", out var tags) && tags.L is { } list ? list.Select(t => t.S).ToList() : [],
        Cost = i.ContainsKey("cost") ? Dec(i, "cost") : null,
        SavedCost = i.ContainsKey("saved_cost") ? Dec(i, "saved_cost") : 0m,
        Unpriced = i.TryGetValue("unpriced", out var u) && u.BOOL == true,
        CacheStatus = Str(i, "cache_status"),
        RequestBody = Str(i, "request_body"),
        ResponseBody = Str(i, "response_body"),
    };

    private static void Optional(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
            item[name] = S(value);
    }
}
