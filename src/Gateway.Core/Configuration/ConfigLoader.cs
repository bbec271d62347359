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

    private static readonly HashSet<string> GeneralKeys = ["master_key", "max_request_size_mb"];
    private static readonly HashSet<string> GatewayKeys =
        ["data_dir", "store", "dynamodb_table", "dynamodb_endpoint", "aws_region_name", "store_failure_mode", "key_cache_ttl_seconds"];
    private static readonly HashSet<string> LitellmKeys = ["drop_params", .. RouterSettingsReader.LitellmRoutingKeys];

    /// <param name="providers">The provider prefixes this build supports.</param>
    public static GatewayConfig Load(string yaml, string source, Func<string, string?> environment, IReadOnlyCollection<string> providers)
    {
        var reader = new ConfigReader(environment);
        var root = ParseRoot(yaml, source);
        reader.WarnUnknownKeys(root, "", TopLevelKeys);

        var deployments = ModelListReader.Read(root, reader, providers);

        var general = reader.Mapping(root, "general_settings", "");
        string? masterKey = null;
        var maxRequestMb = 10.0;
        if (general is not null)
        {
            reader.WarnUnknownKeys(general, "general_settings", GeneralKeys);
            masterKey = reader.Secret(general, "master_key", "general_settings");
            maxRequestMb = reader.Number(general, "max_request_size_mb", "general_settings", 0.001, 1024) ?? maxRequestMb;
        }

        var gatewaySettings = reader.Mapping(root, "gateway_settings", "");
        var store = StoreSettingsReader.Read(gatewaySettings, reader, GatewayKeys);
        var keyCacheTtl = gatewaySettings is null ? null : reader.Number(gatewaySettings, "key_cache_ttl_seconds", "gateway_settings", 0, 3600);

        var router = reader.Mapping(root, "router_settings", "");
        var litellm = reader.Mapping(root, "litellm_settings", "");
        var dropParams = litellm is not null && (reader.Boolean(litellm, "drop_params", "litellm_settings") ?? false);
        var groups = deployments.Select(d => d.GroupName).ToHashSet(StringComparer.Ordinal);
        var routing = RouterSettingsReader.Read(router, litellm, reader, groups);
        WarnNotYetSupported(reader, litellm, "litellm_settings", LitellmKeys);

        if (reader.Problems.Count > 0)
            throw new ConfigException(source, reader.Problems);

        return new GatewayConfig
        {
            Deployments = deployments,
            MasterKey = masterKey,
            MaxRequestBytes = (long)(maxRequestMb * 1024 * 1024),
            Store = store,
            KeyCacheTtl = keyCacheTtl is { } ttl ? TimeSpan.FromSeconds(ttl) : TimeSpan.FromSeconds(5),
            DropParams = dropParams,
            Router = routing,
            RouterSettings = router,
            LitellmSettings = litellm,
            Warnings = reader.Warnings,
            Source = source,
        };
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
