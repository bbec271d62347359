using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Gateway.Core.Routing.Policies;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>
/// Reads <c>router_settings</c> and the routing keys LiteLLM also accepts under <c>litellm_settings</c>
/// (router_settings wins). Fallback targets must be configured groups.
/// </summary>
internal static class RouterSettingsReader
{
    public static readonly HashSet<string> RouterKeys =
    [
        "routing_strategy", "routing_strategy_args", "num_retries", "timeout", "allowed_fails", "cooldown_time", "retry_policy",
        "fallbacks", "default_fallbacks", "context_window_fallbacks", "content_policy_fallbacks",
    ];

    public static readonly HashSet<string> LitellmRoutingKeys =
        ["num_retries", "request_timeout", "fallbacks", "default_fallbacks", "context_window_fallbacks", "content_policy_fallbacks"];

    /// <summary>LiteLLM's <c>retry_policy</c> keys, by the error kinds they cover.</summary>
    private static readonly Dictionary<string, ErrorKind[]> RetryPolicyKeys = new()
    {
        ["BadRequestErrorRetries"] = [ErrorKind.UpstreamBadRequest],
        ["AuthenticationErrorRetries"] = [ErrorKind.UpstreamAuthentication],
        ["TimeoutErrorRetries"] = [ErrorKind.UpstreamTimeout],
        ["RateLimitErrorRetries"] = [ErrorKind.RateLimited],
        ["ContentPolicyViolationErrorRetries"] = [ErrorKind.ContentPolicy],
        ["InternalServerErrorRetries"] = [ErrorKind.UpstreamError, ErrorKind.UpstreamUnavailable],
    };

    public static RouterSettings Read(YamlMappingNode? router, YamlMappingNode? litellm, ConfigReader reader, IReadOnlySet<string> groups)
    {
        var settings = new RouterSettings();
        if (litellm is not null)
            settings = ReadCommon(settings, litellm, "litellm_settings", reader, groups, timeoutKey: "request_timeout");
        if (router is null)
            return settings;
        reader.WarnUnknownKeys(router, "router_settings", RouterKeys);
        settings = ReadCommon(settings, router, "router_settings", reader, groups, timeoutKey: "timeout");
        var strategy = reader.String(router, "routing_strategy", "router_settings");
        if (strategy is not null && !RoutingPolicies.All.Contains(strategy) && strategy != "usage-based-routing-v2")
            reader.Problem("router_settings.routing_strategy", $"unknown strategy '{strategy}'; supported: {string.Join(", ", RoutingPolicies.All)}");
        var args = reader.Mapping(router, "routing_strategy_args", "router_settings");
        return settings with
        {
            RoutingStrategy = strategy ?? settings.RoutingStrategy,
            AllowedFails = reader.Integer(router, "allowed_fails", "router_settings", 0) ?? settings.AllowedFails,
            CooldownTime = Seconds(reader.Number(router, "cooldown_time", "router_settings", 0, 86400)) ?? settings.CooldownTime,
            RetryPolicy = ReadRetryPolicy(router, reader) ?? settings.RetryPolicy,
            LatencyBuffer = (args is null ? null : reader.Number(args, "lowest_latency_buffer", "router_settings.routing_strategy_args", 0, 10)) ?? settings.LatencyBuffer,
        };
    }

    private static RouterSettings ReadCommon(RouterSettings settings, YamlMappingNode map, string path, ConfigReader reader,
        IReadOnlySet<string> groups, string timeoutKey) => settings with
    {
        NumRetries = reader.Integer(map, "num_retries", path, 0) ?? settings.NumRetries,
        Timeout = Seconds(reader.Number(map, timeoutKey, path, 0.001, 3600)) ?? settings.Timeout,
        Fallbacks = ReadFallbackMap(map, "fallbacks", path, reader, groups) ?? settings.Fallbacks,
        ContextWindowFallbacks = ReadFallbackMap(map, "context_window_fallbacks", path, reader, groups) ?? settings.ContextWindowFallbacks,
        ContentPolicyFallbacks = ReadFallbackMap(map, "content_policy_fallbacks", path, reader, groups) ?? settings.ContentPolicyFallbacks,
        DefaultFallbacks = ReadGroupList(ConfigReader.Child(map, "default_fallbacks"), $"{path}.default_fallbacks", reader, groups) ?? settings.DefaultFallbacks,
    };

    /// <summary>LiteLLM writes fallbacks as a list of one-key mappings (<c>- gpt-4: [gpt-4o-mini]</c>); a plain mapping is accepted too.</summary>
    private static Dictionary<string, IReadOnlyList<string>>? ReadFallbackMap(YamlMappingNode map, string key, string path, ConfigReader reader, IReadOnlySet<string> groups)
    {
        var node = ConfigReader.Child(map, key);
        if (node is null)
            return null;
        var itemPath = $"{path}.{key}";
        var entries = node switch
        {
            YamlSequenceNode list when list.Children.All(c => c is YamlMappingNode) => list.Children.OfType<YamlMappingNode>().SelectMany(m => m.Children).ToList(),
            YamlMappingNode m => m.Children.ToList(),
            _ => null,
        };
        if (entries is null)
        {
            reader.Problem(itemPath, "must be a list of 'group: [fallback groups]' entries");
            return null;
        }
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (k, v) in entries)
        {
            var from = (k as YamlScalarNode)?.Value ?? "";
            if (!groups.Contains(from))
                reader.Problem($"{itemPath}.{from}", $"'{from}' is not a model_name in model_list");
            if (ReadGroupList(v, $"{itemPath}.{from}", reader, groups) is { } targets)
                result[from] = targets;
        }
        return result;
    }

    private static List<string>? ReadGroupList(YamlNode? node, string path, ConfigReader reader, IReadOnlySet<string> groups)
    {
        if (node is null)
            return null;
        var items = node switch
        {
            YamlSequenceNode list => list.Children.Select(c => (c as YamlScalarNode)?.Value).ToList(),
            YamlScalarNode { Value: { } single } => [single],
            _ => null,
        };
        if (items is null || items.Any(i => i is null))
        {
            reader.Problem(path, "must be a list of model names");
            return null;
        }
        foreach (var unknown in items.Where(i => !groups.Contains(i!)))
            reader.Problem(path, $"fallback '{unknown}' is not a model_name in model_list");
        return items!;
    }

    private static Dictionary<ErrorKind, int>? ReadRetryPolicy(YamlMappingNode router, ConfigReader reader)
    {
        if (reader.Mapping(router, "retry_policy", "router_settings") is not { } map)
            return null;
        var result = new Dictionary<ErrorKind, int>();
        foreach (var (k, _) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!RetryPolicyKeys.TryGetValue(name, out var kinds))
            {
                reader.Problem($"router_settings.retry_policy.{name}", $"unknown key; supported: {string.Join(", ", RetryPolicyKeys.Keys)}");
                continue;
            }
            if (reader.Integer(map, name, "router_settings.retry_policy", 0) is { } n)
                foreach (var kind in kinds)
                    result[kind] = n;
        }
        return result;
    }

    private static TimeSpan? Seconds(double? value) => value is { } s ? TimeSpan.FromSeconds(s) : null;
}
