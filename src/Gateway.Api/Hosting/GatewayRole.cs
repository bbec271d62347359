using Gateway.Core.Configuration;

namespace Gateway.Api.Hosting;

/// <summary>
/// What this process serves (<c>GATEWAY_ROLE</c>). One binary, three roles: <c>all</c> (the default; a local host: every
/// route plus the rollup timer), <c>api</c> (the public Lambda function: every route, no timer, since a frozen Lambda has
/// none), <c>rollup</c> (the scheduled Lambda function: only <c>POST /events</c> and the readiness check).
/// </summary>
public enum GatewayRole
{
    All,
    Api,
    Rollup,
}

public static class GatewayRoles
{
    public const string Variable = "GATEWAY_ROLE";

    public static GatewayRole Parse(string? value) => value switch
    {
        null or "" or "all" => GatewayRole.All,
        "api" => GatewayRole.Api,
        "rollup" => GatewayRole.Rollup,
        _ => throw new ConfigException(Variable, [$"{Variable}: '{value}' must be 'all', 'api' or 'rollup'"]),
    };
}
