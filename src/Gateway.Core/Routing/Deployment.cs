namespace Gateway.Core.Routing;

/// <summary>
/// One configured upstream (a <c>model_list</c> entry). Requests name its group (<see cref="GroupName"/>);
/// the provider named by <see cref="Provider"/> is handed this deployment, key included, per call.
/// </summary>
public sealed record Deployment
{
    public required string Id { get; init; }
    public required string GroupName { get; init; }
    /// <summary>Provider prefix of <c>litellm_params.model</c>, e.g. <c>openai</c>.</summary>
    public required string Provider { get; init; }
    /// <summary>The provider's model id: <c>litellm_params.model</c> without the prefix.</summary>
    public required string ModelId { get; init; }
    public string? ApiBase { get; init; }
    /// <summary>The provider key as it is now (a rotated <c>aws_secret/</c> key is picked up without a restart).</summary>
    public string? ApiKey
    {
        get => ApiKeySecret?.Current;
        init => ApiKeySecret = value is null ? null : new Configuration.SecretValue(value);
    }

    public Configuration.SecretValue? ApiKeySecret { get; init; }
    public TimeSpan? Timeout { get; init; }
    public TimeSpan? StreamTimeout { get; init; }
    public int? Rpm { get; init; }
    public int? Tpm { get; init; }
    public double? Weight { get; init; }
    public int? Order { get; init; }
    /// <summary>Per-deployment <c>drop_params</c>; null falls back to <c>litellm_settings.drop_params</c>.</summary>
    public bool? DropParams { get; init; }
    /// <summary>Provider-specific <c>litellm_params</c> (api_version, aws_region_name, mock_response...), secrets resolved.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();
    /// <summary>Per-token prices from <c>litellm_params</c> that replace the catalog's (LiteLLM's names); null when none are set.</summary>
    public Pricing.PriceOverride? Prices { get; init; }
    /// <summary><c>model_info</c> as configured (free-form).</summary>
    public IReadOnlyDictionary<string, string> ModelInfo { get; init; } = new Dictionary<string, string>();

    public string? Param(string name) => Params.TryGetValue(name, out var v) ? v : null;
}
