using Gateway.Core.Configuration;

namespace Gateway.Api.Hosting;

/// <summary>Finds the configuration text: given text, a file, or the embedded default.</summary>
internal static class ConfigSource
{
    /// <summary>Loads the config. The secret resolver (an SSM client) is created on first use, only when the config
    /// names an <c>aws_secret/</c> (directly or through an environment variable), so a local run never touches AWS.</summary>
    public static (GatewayConfig Config, ISecretResolver Secrets) Load(GatewayHostOptions options, IReadOnlyCollection<string> providers)
    {
        var (text, source) = Read(options);
        var secrets = new LazySecretResolver(() => options.SecretResolver?.Invoke() ?? Gateway.Storage.Secrets.SsmSecretResolver.Create(options.Environment));
        return (ConfigLoader.Load(text, source, options.Environment, providers, secrets), secrets);
    }

    private sealed class LazySecretResolver(Func<ISecretResolver> create) : ISecretResolver
    {
        private readonly Lazy<ISecretResolver> _resolver = new(create);

        public Task<string> ResolveAsync(string secretId, string? jsonField, CancellationToken cancellationToken) =>
            _resolver.Value.ResolveAsync(secretId, jsonField, cancellationToken);
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
