using Gateway.Core.Configuration;

namespace Gateway.Api.Hosting;

/// <summary>Finds the configuration text: given text, a file, or the embedded default.</summary>
internal static class ConfigSource
{
    /// <summary>Loads the config; a secret resolver (an SSM client) is created only when the text names an
    /// <c>aws_secret/</c>, so a local run never touches AWS. The resolver is returned for refreshing.</summary>
    public static (GatewayConfig Config, ISecretResolver? Secrets) Load(GatewayHostOptions options, IReadOnlyCollection<string> providers)
    {
        var (text, source) = Read(options);
        var secrets = text.Contains("aws_secret/", StringComparison.Ordinal)
            ? options.SecretResolver?.Invoke() ?? Gateway.Storage.Secrets.SsmSecretResolver.Create(options.Environment)
            : null;
        return (ConfigLoader.Load(text, source, options.Environment, providers, secrets), secrets);
    }

    private static (string Text, string Source) Read(GatewayHostOptions options)
    {
        if (options.ConfigYaml is { } yaml)
            return (yaml, "inline config");
        if (options.ConfigPath is { } path)
        {
            if (!File.Exists(path))
                throw new ConfigException(path, [$"(file): '{path}' does not exist"]);
            return (File.ReadAllText(path), path);
        }
        using var stream = typeof(ConfigSource).Assembly.GetManifestResourceStream("default-config.yaml")
                           ?? throw new InvalidOperationException("The embedded default config is missing from the build.");
        using var reader = new StreamReader(stream);
        return (reader.ReadToEnd(), "embedded default");
    }
}
