using Gateway.Api.Admin;
using Gateway.Api.Reports;
using Gateway.Core.Errors;

namespace Gateway.Api.Endpoints;

/// <summary>Every public route, each also served without the <c>/v1</c> prefix as OpenAI clients and LiteLLM users expect.</summary>
internal static class EndpointRoutes
{
    public static void MapGatewayEndpoints(this WebApplication app)
    {
        foreach (var prefix in new[] { "/v1", "" })
        {
            app.MapPost(prefix + "/chat/completions", ChatCompletionsEndpoint.HandleAsync);
            app.MapPost(prefix + "/embeddings", EmbeddingsEndpoint.HandleAsync);
            app.MapGet(prefix + "/models", ModelsEndpoints.ListAsync);
            app.MapGet(prefix + "/models/{**id}", ModelsEndpoints.GetAsync);
        }
        app.MapGet("/health/liveliness", HealthEndpoints.LivelinessAsync);
        app.MapGet("/health/readiness", HealthEndpoints.ReadinessAsync);
        app.MapGet("/health/deployments", DeploymentsHealthEndpoint.HandleAsync);
        app.MapGet("/spend/logs", SpendLogsEndpoint.HandleAsync);
        app.MapAdminEndpoints();
        app.MapReportEndpoints();
        app.MapFallback(NotFound);
    }

    internal static Task NotFound(HttpContext context) =>
        throw GatewayError.NotFound($"Unknown route {context.Request.Method} {Sanitize(context.Request.Path.Value)}.");

    private static string Sanitize(string? path) =>
        path is null ? "/" : new string(path.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
