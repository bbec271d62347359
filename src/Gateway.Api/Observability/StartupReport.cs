using Gateway.Core.Configuration;

namespace Gateway.Api.Observability;

/// <summary>What the operator should see once at startup: where config came from, every warning, and a loud note when unprotected.</summary>
internal static class StartupReport
{
    public static void Log(ILogger logger, GatewayConfig config, string store)
    {
        Observability.Log.ConfigLoaded(logger, config.Source, config.Deployments.Select(d => d.GroupName).Distinct().Count(),
            config.Deployments.Count, store);
        foreach (var warning in config.Warnings)
            Observability.Log.ConfigWarning(logger, warning);
        if (config.MasterKey is null)
            Observability.Log.NoMasterKey(logger);
    }
}
