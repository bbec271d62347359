using System.Text.Json;
using Gateway.Core.Errors;

namespace Gateway.Core.OpenAI;

/// <summary>
/// Body fields meant for the gateway, not the model (LiteLLM's names): per-request <c>fallbacks</c>, <c>num_retries</c>,
/// <c>timeout</c>, <c>mock_testing_fallbacks</c>, <c>metadata</c> (its <c>tags</c> go to the usage record) and <c>cache</c>
/// (<c>no-cache</c>, <c>no-store</c>, <c>ttl</c>, <c>namespace</c>). They are read here and never forwarded upstream.
/// </summary>
public sealed record GatewayRequestOptions
{
    public static readonly IReadOnlySet<string> FieldNames = new HashSet<string>(StringComparer.Ordinal)
        { "fallbacks", "num_retries", "timeout", "mock_testing_fallbacks", "metadata", "cache" };

    private const int MaxTags = 32;
    private const int MaxTagLength = 128;

    public static readonly GatewayRequestOptions None = new();

    public IReadOnlyList<string>? Fallbacks { get; init; }
    public int? NumRetries { get; init; }
    public TimeSpan? Timeout { get; init; }
    public bool MockTestingFallbacks { get; init; }
    /// <summary><c>metadata.tags</c>.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The per-request <c>cache</c> field; null when absent.</summary>
    public CacheDirective? Cache { get; init; }

    internal static GatewayRequestOptions Read(JsonElement root)
    {
        if (!root.TryGetProperty("fallbacks", out _) && !root.TryGetProperty("num_retries", out _) && !root.TryGetProperty("timeout", out _) &&
            !root.TryGetProperty("mock_testing_fallbacks", out _) && !root.TryGetProperty("metadata", out _) && !root.TryGetProperty("cache", out _))
            return None;
        var retries = RequestFields.Optional(root, "num_retries", JsonValueKind.Number, "an integer") is { } r
            ? r.TryGetInt32(out var n) && n is >= 0 and <= 10 ? n : throw GatewayError.InvalidRequest("'num_retries' must be an integer from 0 to 10.", "num_retries", "invalid_value")
            : (int?)null;
        var timeout = RequestFields.OptionalNumber(root, "timeout", 0.001, 3600);
        return new GatewayRequestOptions
        {
            Fallbacks = ReadFallbacks(root),
            NumRetries = retries,
            Timeout = timeout is { } t ? TimeSpan.FromSeconds(t) : null,
            MockTestingFallbacks = RequestFields.OptionalBool(root, "mock_testing_fallbacks") ?? false,
            Tags = ReadTags(root),
            Cache = ReadCache(root),
        };
    }

    /// <summary>Tags from <c>metadata.tags</c>; other metadata is accepted and ignored.</summary>
    public static IReadOnlyList<string> ReadTags(JsonElement root)
    {
        if (RequestFields.Optional(root, "metadata", JsonValueKind.Object, "an object") is not { } metadata ||
            RequestFields.Optional(metadata, "tags", JsonValueKind.Array, "an array of strings", "metadata.tags") is not { } tags)
            return [];
        if (tags.GetArrayLength() > MaxTags)
            throw GatewayError.InvalidRequest($"'metadata.tags' may hold at most {MaxTags} tags.", "metadata.tags", "invalid_value");
        var result = new List<string>();
        var i = 0;
        foreach (var tag in tags.EnumerateArray())
        {
            if (tag.ValueKind != JsonValueKind.String || tag.GetString() is not { Length: > 0 and <= MaxTagLength } text)
                throw RequestFields.WrongType($"metadata.tags[{i}]", $"a non-empty string of at most {MaxTagLength} characters");
            result.Add(text);
            i++;
        }
        return result;
    }

    private static CacheDirective? ReadCache(JsonElement root)
    {
        if (RequestFields.Optional(root, "cache", JsonValueKind.Object, "an object") is not { } cache)
            return null;
        foreach (var field in cache.EnumerateObject())
            if (field.Name is not ("no-cache" or "no-store" or "ttl" or "namespace"))
                throw GatewayError.InvalidRequest($"'cache.{field.Name}' is not a cache control; use no-cache, no-store, ttl or namespace.",
                    "cache." + field.Name, "invalid_value");
        var ttl = RequestFields.OptionalNumber(cache, "ttl", 1, 30 * 86400, "cache.ttl");
        return new CacheDirective(
            RequestFields.OptionalBool(cache, "no-cache", "cache.no-cache") ?? false,
            RequestFields.OptionalBool(cache, "no-store", "cache.no-store") ?? false,
            ttl is { } t ? TimeSpan.FromSeconds(t) : null,
            RequestFields.OptionalString(cache, "namespace", "cache.namespace"));
    }

    private static List<string>? ReadFallbacks(JsonElement root)
    {
        if (RequestFields.Optional(root, "fallbacks", JsonValueKind.Array, "an array of model names") is not { } list)
            return null;
        var result = new List<string>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } name)
                throw RequestFields.WrongType($"fallbacks[{i}]", "a model name");
            result.Add(name);
            i++;
        }
        return result;
    }
}

/// <summary>LiteLLM's per-request cache controls: <c>no-cache</c> skips the lookup (the answer is still stored),
/// <c>no-store</c> does not store the answer, <c>ttl</c> overrides the stored entry's lifetime, <c>namespace</c> partitions keys.</summary>
public sealed record CacheDirective(bool NoCache, bool NoStore, TimeSpan? Ttl, string? Namespace);
