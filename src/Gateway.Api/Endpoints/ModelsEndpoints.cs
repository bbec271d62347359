using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Core.Errors;

namespace Gateway.Api.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the configured group names, in OpenAI's list format.</summary>
internal static class ModelsEndpoints
{
    public static async Task ListAsync(HttpContext context, CallerAuthenticator auth, ModelsResponse models)
    {
        await auth.AuthenticateAsync(context.Request, context.RequestAborted);
        await WriteJsonAsync(context, models.List);
    }

    public static async Task GetAsync(HttpContext context, string id, CallerAuthenticator auth, ModelsResponse models)
    {
        await auth.AuthenticateAsync(context.Request, context.RequestAborted);
        if (!models.TryGet(id, out var body))
            throw GatewayError.ModelNotFound(id);
        await WriteJsonAsync(context, body);
    }

    internal static Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
