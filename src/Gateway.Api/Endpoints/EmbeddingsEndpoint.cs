using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Api.Http;
using Gateway.Core.Configuration;
using Gateway.Core.OpenAI;

namespace Gateway.Api.Endpoints;

/// <summary><c>POST /v1/embeddings</c>: the same steps as chat, with one usage record per request.</summary>
internal static class EmbeddingsEndpoint
{
    public static async Task HandleAsync(HttpContext context, MasterKeyAuthenticator auth, GatewayConfig config,
        ChatDispatcher dispatcher, UsageRecorder recorder)
    {
        var state = RequestState.Of(context);
        state.KeyId = auth.Authenticate(context.Request);
        await AccountedRequest.RunAsync(context, state, recorder, async () =>
        {
            var aborted = context.RequestAborted;
            using var body = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, aborted);
            using var request = EmbeddingRequest.Parse(body.Memory);
            state.Model = request.Model;
            var response = await dispatcher.EmbedAsync(request, state, aborted);
            state.Usage = response.Usage;
            state.ProviderModel = response.ProviderModel;
            await recorder.RecordAsync(state, 200);
            RoutingHeaders.Write(context.Response, state);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = response.Body.Length;
            await context.Response.Body.WriteAsync(response.Body, aborted);
        });
    }
}
