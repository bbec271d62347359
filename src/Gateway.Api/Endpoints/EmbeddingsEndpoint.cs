using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Api.Http;
using Gateway.Core.Configuration;
using Gateway.Core.OpenAI;

namespace Gateway.Api.Endpoints;

/// <summary><c>POST /v1/embeddings</c>: the same steps as chat, with one usage record per request.</summary>
internal static class EmbeddingsEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, GatewayConfig config,
        ChatDispatcher dispatcher, RequestGate gate, UsageRecorder recorder)
    {
        var (state, caller) = await AccountedRequest.AuthenticateAsync(context, auth);
        await AccountedRequest.RunAsync(context, state, recorder, async () =>
        {
            var aborted = context.RequestAborted;
            using var body = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, aborted);
            using var request = EmbeddingRequest.Parse(body.Memory);
            state.Model = request.Model;
            var group = RequestGate.ResolveModel(caller, request.Model);
            AccountedRequest.Describe(context, state, caller, config, group, GatewayRequestOptions.ReadTags(request.Root), body.Memory.Span);
            await gate.AdmitAsync(context, state, caller, group, null, body.Length, aborted);
            var response = await dispatcher.EmbedAsync(request, group, state, aborted);
            state.Usage = response.Usage;
            state.ProviderModel = response.ProviderModel;
            await recorder.RecordAsync(state, 200);
            RoutingHeaders.Write(context.Response, state);
            CostHeaders.Write(context.Response, state);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = response.Body.Length;
            await context.Response.Body.WriteAsync(response.Body, aborted);
        });
    }
}
