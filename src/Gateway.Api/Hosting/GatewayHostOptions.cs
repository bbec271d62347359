namespace Gateway.Api.Hosting;

/// <summary>How to start one gateway process: where its config and data live and where it listens.</summary>
public sealed record GatewayHostOptions
{
    public const string DefaultUrl = "http://127.0.0.1:4000";

    /// <summary>Path of config.yaml; null means the embedded default.</summary>
    public string? ConfigPath { get; init; }
    /// <summary>Config text given directly (tests); wins over <see cref="ConfigPath"/>.</summary>
    public string? ConfigYaml { get; init; }
    public string? DataDir { get; init; }
    public string? Urls { get; init; }
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
    public string[] Args { get; init; } = [];
    /// <summary>Wraps the opened stores (tests count calls or inject outages here).</summary>
    public Func<Gateway.Core.Storage.GatewayStores, Gateway.Core.Storage.GatewayStores>? DecorateStores { get; init; }
    /// <summary>Extra logging setup after the defaults (tests capture log lines here).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }
    /// <summary>Reads <c>aws_secret/</c> config values; default: SSM through the AWS SDK's default chain, created only
    /// when the config names such a secret.</summary>
    public Func<Gateway.Core.Configuration.ISecretResolver>? SecretResolver { get; init; }

    /// <summary><c>--config PATH</c> or <c>GATEWAY_CONFIG</c>; <c>--urls</c>, <c>ASPNETCORE_URLS</c> or 127.0.0.1:4000;
    /// <c>--data-dir</c> or <c>GATEWAY_DATA_DIR</c>.</summary>
    public static GatewayHostOptions FromArgs(string[] args, Func<string, string?> environment) => new()
    {
        ConfigPath = Arg(args, "--config") ?? environment("GATEWAY_CONFIG"),
        DataDir = Arg(args, "--data-dir") ?? environment("GATEWAY_DATA_DIR"),
        Urls = Arg(args, "--urls") ?? environment("ASPNETCORE_URLS") ?? DefaultUrl,
        Environment = environment,
        Args = args,
    };

    private static string? Arg(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
                return args[i + 1];
            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
                return args[i][(name.Length + 1)..];
        }
        return null;
    }
}
