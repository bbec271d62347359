using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Routing;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>Reads and validates <c>model_list</c> into deployments with stable ids.</summary>
internal static class ModelListReader
{
    private static readonly HashSet<string> EntryKeys = ["model_name", "litellm_params", "model_info"];

    /// <summary>Keys with a meaning for every provider; the rest are provider-specific (see <see cref="ProviderParams"/>).</summary>
    private static readonly HashSet<string> CommonParams =
        ["model", "api_key", "api_base", "timeout", "stream_timeout", "rpm", "tpm", "weight", "order", "drop_params"];

    /// <summary>Provider-specific <c>litellm_params</c> this build understands.</summary>
    private static readonly HashSet<string> ProviderParams = ["api_version", "mock_response", "azure_ad_token", "base_model", "aws_region_name"];

    /// <summary>Params never used to derive a deployment id (secrets must not influence a public id).</summary>
    private static readonly HashSet<string> SecretParams = ["api_key", "aws_access_key_id", "aws_secret_access_key", "aws_session_token"];

    public static List<Deployment> Read(YamlMappingNode root, ConfigReader reader, IReadOnlyCollection<string> providers)
    {
        var result = new List<Deployment>();
        switch (ConfigReader.Child(root, "model_list"))
        {
            case null:
                reader.Problem("model_list", "is required: list at least one model");
                return result;
            case YamlSequenceNode list:
                var i = 0;
                foreach (var node in list)
                {
                    var path = $"model_list[{i++}]";
                    if (node is not YamlMappingNode entry)
                        reader.Problem(path, "must be a mapping with model_name and litellm_params");
                    else if (ReadEntry(entry, path, reader, providers) is { } deployment)
                        result.Add(deployment);
                }
                if (i == 0)
                    reader.Problem("model_list", "must list at least one model");
                break;
            default:
                reader.Problem("model_list", "must be a list");
                return result;
        }

        foreach (var duplicate in result.GroupBy(d => d.Id).Where(g => g.Count() > 1))
            reader.Problem("model_list", $"duplicate deployment id '{duplicate.Key}' (groups: {string.Join(", ", duplicate.Select(d => d.GroupName))}); give each a distinct model_info.id");
        return result;
    }

    private static Deployment? ReadEntry(YamlMappingNode entry, string path, ConfigReader reader, IReadOnlyCollection<string> providers)
    {
        reader.WarnUnknownKeys(entry, path, EntryKeys);
        var problemsBefore = reader.Problems.Count;
        var name = reader.String(entry, "model_name", path, required: true);
        var paramsPath = path + ".litellm_params";
        var p = reader.Mapping(entry, "litellm_params", path, required: true);
        if (p is null)
            return null;

        var known = new HashSet<string>(CommonParams);
        known.UnionWith(ProviderParams);
        known.UnionWith(SecretParams);
        known.UnionWith(Pricing.PriceOverride.ParamNames);
        reader.WarnUnknownKeys(p, paramsPath, known);

        var model = reader.String(p, "model", paramsPath, required: true);
        string? provider = null, modelId = null;
        if (model is not null)
        {
            var slash = model.IndexOf('/');
            if (slash <= 0 || slash == model.Length - 1)
                reader.Problem(paramsPath + ".model", $"'{model}' must be 'provider/model-id', e.g. 'openai/gpt-4o-mini'");
            else if (!providers.Contains(model[..slash]))
                reader.Problem(paramsPath + ".model", $"unknown provider prefix '{model[..slash]}'; supported: {string.Join(", ", providers.Order())}");
            else
                (provider, modelId) = (model[..slash], model[(slash + 1)..]);
        }

        var apiKey = reader.RefreshableSecret(p, "api_key", paramsPath);
        var apiBase = reader.Secret(p, "api_base", paramsPath);
        if (apiBase is not null && (!Uri.TryCreate(apiBase, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
            reader.Problem(paramsPath + ".api_base", "must be an absolute http(s) URL");
        if (provider == "openai" && ConfigReader.Child(p, "api_key") is null && ConfigReader.Child(p, "api_base") is null)
            reader.Problem(paramsPath + ".api_key", "is required for api.openai.com (set api_base for a server that needs no key)");
        if (provider == "anthropic" && ConfigReader.Child(p, "api_key") is null && ConfigReader.Child(p, "api_base") is null)
            reader.Problem(paramsPath + ".api_key", "is required for api.anthropic.com (e.g. api_key: os.environ/ANTHROPIC_API_KEY)");
        if (provider == "azure" && ConfigReader.Child(p, "api_base") is null)
            reader.Problem(paramsPath + ".api_base", "is required for azure (https://<resource>.openai.azure.com)");
        if (provider == "azure" && ConfigReader.Child(p, "api_version") is null)
            reader.Problem(paramsPath + ".api_version", "is required for azure (e.g. 2024-10-21)");
        if (provider == "azure" && ConfigReader.Child(p, "api_key") is null && ConfigReader.Child(p, "azure_ad_token") is null)
            reader.Problem(paramsPath + ".api_key", "is required for azure (or set azure_ad_token)");

        var timeout = reader.Number(p, "timeout", paramsPath, 0.001, 3600);
        var streamTimeout = reader.Number(p, "stream_timeout", paramsPath, 0.001, 3600);
        var rpm = reader.Integer(p, "rpm", paramsPath, 1);
        var tpm = reader.Integer(p, "tpm", paramsPath, 1);
        var weight = reader.Number(p, "weight", paramsPath, 0.000001, 1_000_000);
        var order = reader.Integer(p, "order", paramsPath, 1);
        var dropParams = reader.Boolean(p, "drop_params", paramsPath);

        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in ProviderParams.Concat(SecretParams).Where(k => k != "api_key"))
            if (reader.Secret(p, key, paramsPath) is { } value)
                extras[key] = value;

        var prices = ReadPrices(p, paramsPath, reader);
        var info = ReadModelInfo(entry, path, reader);
        if (reader.Problems.Count > problemsBefore || name is null || provider is null || modelId is null)
            return null;

        return new Deployment
        {
            Id = info.TryGetValue("id", out var id) ? id : DerivedId(name, p),
            GroupName = name,
            Provider = provider,
            ModelId = modelId,
            ApiBase = apiBase?.TrimEnd('/'),
            ApiKeySecret = apiKey,
            Timeout = timeout is { } t ? TimeSpan.FromSeconds(t) : null,
            StreamTimeout = streamTimeout is { } s ? TimeSpan.FromSeconds(s) : null,
            Rpm = rpm,
            Tpm = tpm,
            Weight = weight,
            Order = order,
            DropParams = dropParams,
            Params = extras,
            Prices = prices,
            ModelInfo = info,
        };
    }

    /// <summary>Per-token price overrides; plain or exponent notation (<c>0.0000025</c>, <c>2.5e-06</c>), never negative.</summary>
    private static Pricing.PriceOverride? ReadPrices(YamlMappingNode p, string path, ConfigReader reader)
    {
        var values = new decimal?[Pricing.PriceOverride.ParamNames.Count];
        var any = false;
        for (var i = 0; i < values.Length; i++)
        {
            var name = Pricing.PriceOverride.ParamNames[i];
            if (ConfigReader.Child(p, name) is not { } node)
                continue;
            if (node is YamlScalarNode { Value: { } text } && decimal.TryParse(text, System.Globalization.NumberStyles.Float,
                    System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                values[i] = value;
                any = true;
            }
            else
            {
                reader.Problem($"{path}.{name}", "must be a non-negative number of USD per token, e.g. 0.0000025");
            }
        }
        return any ? new Pricing.PriceOverride(values[0], values[1], values[2], values[3], values[4]) : null;
    }

    private static Dictionary<string, string> ReadModelInfo(YamlMappingNode entry, string path, ConfigReader reader)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.Mapping(entry, "model_info", path) is not { } map)
            return info;
        foreach (var (key, value) in map.Children)
            if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
                info[k] = v;
        return info;
    }

    /// <summary>A stable id from the group and its non-secret params, so restarts keep deployment identity.</summary>
    private static string DerivedId(string group, YamlMappingNode litellmParams)
    {
        var text = new StringBuilder(group);
        foreach (var (key, value) in litellmParams.Children.OrderBy(c => (c.Key as YamlScalarNode)?.Value, StringComparer.Ordinal))
        {
            var k = (key as YamlScalarNode)?.Value ?? "";
            if (!SecretParams.Contains(k))
                text.Append('\n').Append(k).Append('=').Append((value as YamlScalarNode)?.Value);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
