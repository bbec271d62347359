using Gateway.Core.Routing;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>The loaded, validated configuration. Secrets are resolved; nothing here is re-read per request.</summary>
public sealed record GatewayConfig
{
    public required IReadOnlyList<Deployment> Deployments { get; init; }
    public string? MasterKey
    {
        get => MasterKeySecret?.Current;
        init => MasterKeySecret = value is null ? null : new SecretValue(value);
    }

    public SecretValue? MasterKeySecret { get; init; }
    /// <summary>Secrets read from <c>aws_secret/...</c>, re-read every <see cref="SecretRefresh"/> so rotation needs no restart.</summary>
    public IReadOnlyList<SecretValue> RefreshableSecrets { get; init; } = [];
    public TimeSpan SecretRefresh { get; init; } = TimeSpan.FromMinutes(5);
    public long MaxRequestBytes { get; init; } = 10L * 1024 * 1024;
    public string? DataDir => Store.DataDir;
    /// <summary>How long a virtual key lookup is cached per instance: a revoked key stops working within this time.</summary>
    public TimeSpan KeyCacheTtl { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary><c>gateway_settings</c>: which backend holds keys, meters, cache, usage and rollups.</summary>
    public Storage.StoreSettings Store { get; init; } = new();
    /// <summary><c>litellm_settings.drop_params</c>: drop (and report) parameters a provider cannot honour instead of a 400.</summary>
    public bool DropParams { get; init; }
    /// <summary><c>gateway_settings.rollup_interval_minutes</c>: how often a locally run host rolls up usage (zero: never;
    /// on Lambda the EventBridge schedule does it instead).</summary>
    public TimeSpan RollupInterval { get; init; } = TimeSpan.FromMinutes(60);
    /// <summary><c>gateway_settings.alerts</c>.</summary>
    public AlertSettings Alerts { get; init; } = new();
    /// <summary><c>general_settings.store_prompts_in_spend_logs</c>: keep request and answer bodies (size-capped) in usage records.</summary>
    public bool StorePrompts { get; init; }
    public Caching.ResponseCacheSettings Cache { get; init; } = Caching.ResponseCacheSettings.Off;
    /// <summary><c>router_settings</c> as written (interpreted into <see cref="Router"/>).</summary>
    public YamlMappingNode? RouterSettings { get; init; }
    public Routing.RouterSettings Router { get; init; } = new();
    /// <summary>Kept as written for later issues; not interpreted yet.</summary>
    public YamlMappingNode? LitellmSettings { get; init; }
    /// <summary>One line per unknown or not-yet-supported key, each naming its path.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Where the configuration came from (a path, or <c>embedded default</c>).</summary>
    public string Source { get; init; } = "";
}
