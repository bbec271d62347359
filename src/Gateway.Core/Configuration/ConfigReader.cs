using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Gateway.Core.Configuration;

/// <summary>
/// Typed reads from the YAML tree that record problems and warnings with their paths instead of
/// throwing, so one startup message can list everything wrong with a file.
/// </summary>
internal sealed class ConfigReader(Func<string, string?> environment, ISecretResolver? secrets = null)
{
    private const string EnvPrefix = "os.environ/";

    public List<string> Problems { get; } = [];
    public List<string> Warnings { get; } = [];
    /// <summary>Every value read from <c>aws_secret/...</c>, so the host can refresh them after rotation.</summary>
    public List<SecretValue> RefreshableSecrets { get; } = [];

    public string? Environment(string name) => environment(name);

    public void Problem(string path, string message) => Problems.Add($"{path}: {message}");

    public void WarnUnknownKeys(YamlMappingNode map, string path, IReadOnlySet<string> known)
    {
        foreach (var (key, _) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "?";
            if (!known.Contains(name))
                Warnings.Add($"{Join(path, name)}: unknown key, ignored");
        }
    }

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static YamlNode? Child(YamlMappingNode map, string name) =>
        map.Children.TryGetValue(new YamlScalarNode(name), out var node) ? node : null;

    public YamlMappingNode? Mapping(YamlMappingNode map, string name, string path, bool required = false)
    {
        switch (Child(map, name))
        {
            case null:
                if (required) Problem(Join(path, name), "is required");
                return null;
            case YamlMappingNode m:
                return m;
            case YamlScalarNode { Value: null or "" or "null" or "~" }:
                if (required) Problem(Join(path, name), "is required and must not be empty");
                return null;
            default:
                Problem(Join(path, name), "must be a mapping");
                return null;
        }
    }

    public string? String(YamlMappingNode map, string name, string path, bool required = false)
    {
        switch (Child(map, name))
        {
            case null or YamlScalarNode { Value: null or "" } when required:
                Problem(Join(path, name), "is required");
                return null;
            case null or YamlScalarNode { Value: null or "" }:
                return null;
            case YamlScalarNode s:
                return s.Value;
            default:
                Problem(Join(path, name), "must be a single value");
                return null;
        }
    }

    /// <summary>A value that may be a literal, <c>os.environ/NAME</c> or <c>aws_secret/id[#field]</c>.</summary>
    public string? Secret(YamlMappingNode map, string name, string path, bool required = false) =>
        Resolve(String(map, name, path, required), Join(path, name));

    /// <summary>As <see cref="Secret"/>, held so that an <c>aws_secret/</c> value can be refreshed after rotation.</summary>
    public SecretValue? RefreshableSecret(YamlMappingNode map, string name, string path)
    {
        var text = String(map, name, path);
        if (text is not null && text.StartsWith(EnvPrefix, StringComparison.Ordinal) && environment(text[EnvPrefix.Length..]) is { } pointer &&
            SecretValue.TryParseReference(pointer, out _, out _))
            text = pointer; // an environment variable may name the secret (never hold it): GATEWAY_MASTER_KEY=aws_secret/stack/master-key#key
        if (text is null || Resolve(text, Join(path, name)) is not { } value)
            return null;
        var secret = new SecretValue(value, SecretValue.TryParseReference(text, out _, out _) ? text : null);
        if (secret.Reference is not null)
            RefreshableSecrets.Add(secret);
        return secret;
    }

    public string? Resolve(string? value, string path)
    {
        if (value is not null && SecretValue.TryParseReference(value, out var secretId, out var field))
            return ResolveAwsSecret(secretId, field, path);
        if (value is null || !value.StartsWith(EnvPrefix, StringComparison.Ordinal))
            return value;
        var variable = value[EnvPrefix.Length..];
        var resolved = environment(variable);
        if (string.IsNullOrEmpty(resolved))
        {
            Problem(path, $"environment variable '{variable}' is not set");
            return null;
        }
        return SecretValue.TryParseReference(resolved, out var id, out var jsonField) ? ResolveAwsSecret(id, jsonField, path) : resolved;
    }

    private string? ResolveAwsSecret(string secretId, string? field, string path)
    {
        if (secrets is null)
        {
            Problem(path, $"aws_secret/{secretId} cannot be read: no secret resolver is configured");
            return null;
        }
        try
        {
            return secrets.ResolveAsync(secretId, field, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Problem(path, e.Message);
            return null;
        }
    }

    public double? Number(YamlMappingNode map, string name, string path, double min, double max)
    {
        var raw = Resolve(String(map, name, path), Join(path, name));
        if (raw is null)
            return null;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Problem(Join(path, name), $"must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }
        return value;
    }

    public int? Integer(YamlMappingNode map, string name, string path, int min)
    {
        var raw = Resolve(String(map, name, path), Join(path, name));
        if (raw is null)
            return null;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Problem(Join(path, name), $"must be a whole number of at least {min}");
            return null;
        }
        return value;
    }

    public bool? Boolean(YamlMappingNode map, string name, string path)
    {
        var raw = String(map, name, path);
        if (raw is null)
            return null;
        if (bool.TryParse(raw, out var value))
            return value;
        Problem(Join(path, name), "must be true or false");
        return null;
    }
}
