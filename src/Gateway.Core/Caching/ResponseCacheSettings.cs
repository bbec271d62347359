using Gateway.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Caching;

/// <summary>Whose cached answers a request may receive.</summary>
public enum CacheScope
{
    /// <summary>The caller's team, or its key when it has no team (the default: one tenant never sees another's answers).</summary>
    Team,
    /// <summary>The caller's key only.</summary>
    Key,
    /// <summary>Everyone: identical requests share answers across tenants. Opt-in.</summary>
    Global,
}

/// <summary>
/// The response cache, from <c>litellm_settings.cache: true</c> and <c>cache_params</c> (LiteLLM's names where they exist):
/// <c>ttl</c> seconds (default 600), <c>namespace</c>, <c>scope</c> (team | key | global), <c>max_item_kb</c> (largest
/// compressed entry stored; default 350, under DynamoDB's 400 KB item limit). Entries live in the gateway's own store
/// (DynamoDB items with TTL, or the SQLite file), so LiteLLM's Redis <c>type</c>/<c>host</c>/<c>port</c> are ignored with a warning.
/// </summary>
public sealed record ResponseCacheSettings
{
    public static readonly ResponseCacheSettings Off = new();

    public bool Enabled { get; init; }
    public TimeSpan Ttl { get; init; } = TimeSpan.FromMinutes(10);
    public string? Namespace { get; init; }
    public CacheScope Scope { get; init; } = CacheScope.Team;
    public int MaxItemBytes { get; init; } = 350 * 1024;
    /// <summary>Entries larger than this are Brotli-compressed.</summary>
    public int CompressAboveBytes { get; init; } = 1024;

    private static readonly HashSet<string> Known = ["ttl", "namespace", "scope", "max_item_kb"];
    private static readonly HashSet<string> RedisOnly = ["type", "host", "port", "password", "ssl", "supported_call_types", "mode"];

    internal static ResponseCacheSettings Read(YamlMappingNode? litellm, ConfigReader reader)
    {
        if (litellm is null || !(reader.Boolean(litellm, "cache", "litellm_settings") ?? false))
            return Off;
        var settings = new ResponseCacheSettings { Enabled = true };
        if (reader.Mapping(litellm, "cache_params", "litellm_settings") is not { } p)
            return settings;
        const string path = "litellm_settings.cache_params";
        foreach (var (k, _) in p.Children)
            if ((k as YamlScalarNode)?.Value is { } name && !Known.Contains(name))
                reader.Warnings.Add(RedisOnly.Contains(name)
                    ? $"{path}.{name}: ignored; the cache lives in the gateway's store (DynamoDB or SQLite)"
                    : $"{path}.{name}: unknown key, ignored");
        var scope = reader.String(p, "scope", path);
        var parsedScope = scope switch
        {
            null or "team" => CacheScope.Team,
            "key" => CacheScope.Key,
            "global" => CacheScope.Global,
            _ => (CacheScope?)null,
        };
        if (parsedScope is null)
            reader.Problem(path + ".scope", $"'{scope}' must be team, key or global");
        return settings with
        {
            Ttl = reader.Number(p, "ttl", path, 1, 30 * 86400) is { } ttl ? TimeSpan.FromSeconds(ttl) : settings.Ttl,
            Namespace = reader.String(p, "namespace", path),
            Scope = parsedScope ?? CacheScope.Team,
            MaxItemBytes = reader.Integer(p, "max_item_kb", path, 1) is { } kb ? Math.Min(kb, 390) * 1024 : settings.MaxItemBytes,
        };
    }
}
