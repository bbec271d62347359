using Gateway.Core.Configuration;
using Gateway.Core.Storage;

namespace Gateway.Api.Endpoints;

/// <summary>Liveliness (the process answers) and readiness (config loaded and the store reachable). No auth: they reveal nothing.</summary>
internal static class HealthEndpoints
{
    private static readonly byte[] Alive = """{"status":"alive"}"""u8.ToArray();
    private static readonly byte[] Ready = """{"status":"ready","config":"loaded","store":"reachable"}"""u8.ToArray();
    private static readonly byte[] NotReady = """{"status":"not_ready","config":"loaded","store":"unreachable"}"""u8.ToArray();

    public static Task LivelinessAsync(HttpContext context) => ModelsEndpoints.WriteJsonAsync(context, Alive);

    public static async Task ReadinessAsync(HttpContext context, GatewayConfig config, IStoreHealth store)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        var reachable = config.Deployments.Count > 0 && await store.IsReachableAsync(timeout.Token);
        context.Response.StatusCode = reachable ? 200 : 503;
        await ModelsEndpoints.WriteJsonAsync(context, reachable ? Ready : NotReady);
    }
}
