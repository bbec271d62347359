using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>
/// Reads a LiteLLM-proxy-style <c>config.yaml</c>. Uses YamlDotNet's node model only (no reflection-based
/// deserialisation, so it stays Native-AOT safe) and validates while reading, collecting every problem.
/// </summary>
public static class ConfigLoader
{
    private static readonly HashSet<string> TopLevelKeys =
        ["model_list", "general_settings", "router_settings", "litellm_settings", "gateway_settings"];

    private static readonly HashSet<string> GeneralKeys = ["master_key", "max_request_size_mb", "store_prompts_in_spend_logs", "maximum_spend_logs_retention_period"];
    private static readonly HashSet<string> GatewayKeys =
        ["data_dir", "store", "dynamodb_table", "dynamodb_endpoint", "aws_region_name", "store_failure_mode", "key_cache_ttl_seconds",
         "secret_refresh_seconds", "rollup_interval_minutes", "alerts"];
    private static readonly HashSet<string> LitellmKeys = ["drop_params", "cache", "cache_params", .. RouterSettingsReader.LitellmRoutingKeys];

    /// <param name="providers">The provider prefixes this build supports.</param>
    public static GatewayConfig Load(string yaml, string source, Func<string, string?> environment, IReadOnlyCollection<string> providers,
        ISecretResolver? secrets = null)
    {
        var reader = new ConfigReader(environment, secrets);
        var root = ParseRoot(yaml, source);
        reader.WarnUnknownKeys(root, "", TopLevelKeys);

        var deployments = ModelListReader.Read(root, reader, providers);

        var general = reader.Mapping(root, "general_settings", "");
        SecretValue? masterKey = null;
        var maxRequestMb = 10.0;
        var storePrompts = false;
        TimeSpan? retention = null;
        if (general is not null)
        {
            storePrompts = reader.Boolean(general, "store_prompts_in_spend_logs", "general_settings") ?? false;
            retention = ReadRetention(general, reader);
            reader.WarnUnknownKeys(general, "general_settings", GeneralKeys);
            masterKey = reader.RefreshableSecret(general, "master_key", "general_settings");
            maxRequestMb = reader.Number(general, "max_request_size_mb", "general_settings", 0.001, 1024) ?? maxRequestMb;
        }

        var gatewaySettings = reader.Mapping(root, "gateway_settings", "");
        var store = StoreSettingsReader.Read(gatewaySettings, reader, GatewayKeys);
        if (retention is { } keep)
            store = store with { UsageRetention = keep };
        var keyCacheTtl = gatewaySettings is null ? null : reader.Number(gatewaySettings, "key_cache_ttl_seconds", "gateway_settings", 0, 3600);
        var rollupInterval = ReportSettingsReader.RollupInterval(gatewaySettings, reader);
        var alerts = ReportSettingsReader.Alerts(gatewaySettings, reader);

        var router = reader.Mapping(root, "router_settings", "");
        var litellm = reader.Mapping(root, "litellm_settings", "");
        var dropParams = litellm is not null && (reader.Boolean(litellm, "drop_params", "litellm_settings") ?? false);
        var groups = deployments.Select(d => d.GroupName).ToHashSet(StringComparer.Ordinal);
        var routing = RouterSettingsReader.Read(router, litellm, reader, groups);
        WarnNotYetSupported(reader, litellm, "litellm_settings", LitellmKeys);
        var cache = Caching.ResponseCacheSettings.Read(litellm, reader);

        if (reader.Problems.Count > 0)
            throw new ConfigException(source, reader.Problems);

        return new GatewayConfig
        {
            Deployments = deployments,
            MasterKeySecret = masterKey,
            RefreshableSecrets = reader.RefreshableSecrets,
            SecretRefresh = gatewaySettings is not null && reader.Number(gatewaySettings, "secret_refresh_seconds", "gateway_settings", 1, 86400) is { } refresh
                ? TimeSpan.FromSeconds(refresh)
                : TimeSpan.FromMinutes(5),
            MaxRequestBytes = (long)(maxRequestMb * 1024 * 1024),
            Store = store,
            KeyCacheTtl = keyCacheTtl is { } ttl ? TimeSpan.FromSeconds(ttl) : TimeSpan.FromSeconds(5),
            DropParams = dropParams,
            RollupInterval = TimeSpan.FromMinutes(rollupInterval),
            Alerts = alerts,
            StorePrompts = storePrompts,
            Cache = cache,
            Router = routing,
            RouterSettings = router,
            LitellmSettings = litellm,
            Warnings = reader.Warnings,
            Source = source,
        };
    }

    /// <summary>LiteLLM's <c>maximum_spend_logs_retention_period</c>: <c>90d</c>, <c>12h</c>, or a number of days; 1 hour to 10 years.</summary>
    private static TimeSpan? ReadRetention(YamlMappingNode general, ConfigReader reader)
    {
        if (ConfigReader.Child(general, "maximum_spend_logs_retention_period") is not YamlScalarNode { Value: { Length: > 0 } text })
            return null;
        var unit = char.IsLetter(text[^1]) ? text[^1] : 'd';
        var number = char.IsLetter(text[^1]) ? text[..^1] : text;
        TimeSpan? value = double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0
            ? unit switch { 'd' => TimeSpan.FromDays(n), 'h' => TimeSpan.FromHours(n), _ => null }
            : null;
        if (value is { } v && v >= TimeSpan.FromHours(1) && v <= TimeSpan.FromDays(3650))
            return v;
        reader.Problem("general_settings.maximum_spend_logs_retention_period", $"'{text}' must be a duration like 90d or 12h (1h to 3650d)");
        return null;
    }

    private static YamlMappingNode ParseRoot(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, [$"line {e.Start.Line}, column {e.Start.Column}: {e.Message}"]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException(source, ["(root): must be a mapping with at least 'model_list'"]);
        return root;
    }

    private static void WarnNotYetSupported(ConfigReader reader, YamlMappingNode? section, string path, IReadOnlySet<string> supported)
    {
        if (section is null)
            return;
        foreach (var (key, _) in section.Children)
            if (!supported.Contains((key as YamlScalarNode)?.Value ?? ""))
                reader.Warnings.Add($"{path}.{(key as YamlScalarNode)?.Value}: not supported yet, kept but ignored");
    }
}
