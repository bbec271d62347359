using System.Diagnostics;
using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Api.Http;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Routing;

namespace Gateway.Api.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: authenticate, parse, route, call, account. Every accepted request gets a usage record.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, MasterKeyAuthenticator auth, GatewayConfig config,
        ChatDispatcher dispatcher, UsageRecorder recorder)
    {
        var state = RequestState.Of(context);
        state.KeyId = auth.Authenticate(context.Request);
        await AccountedRequest.RunAsync(context, state, recorder, async () =>
        {
            using var body = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, context.RequestAborted);
            using var request = ChatRequest.Parse(body.Memory);
            state.Model = request.Model;
            state.Stream = request.Stream;
            var (deployment, dropped) = dispatcher.Route(request, state);
            if (dropped.Count > 0)
                context.Response.Headers[ChatDispatcher.DroppedParamsHeader] = string.Join(",", dropped);
            if (request.Stream)
                await StreamAsync(context, request, deployment, state, dispatcher, recorder);
            else
                await CompleteAsync(context, request, deployment, state, dispatcher, recorder);
        });
    }

    private static async Task CompleteAsync(HttpContext context, ChatRequest request, Deployment deployment, RequestState state,
        ChatDispatcher dispatcher, UsageRecorder recorder)
    {
        var response = await dispatcher.CompleteAsync(request, deployment, state, context.RequestAborted);
        state.Usage = response.Usage;
        state.ProviderModel = response.ProviderModel;
        await recorder.RecordAsync(state, 200);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, ChatRequest request, Deployment deployment, RequestState state,
        ChatDispatcher dispatcher, UsageRecorder recorder)
    {
        var aborted = context.RequestAborted;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        await using var stream = await dispatcher.OpenStreamAsync(request, deployment, state, deadline, aborted);
        await using var chunks = stream.ReadChunksAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        // Nothing is sent until the first chunk exists, so an upstream that fails early still gets a proper status.
        var more = await ChatDispatcher.NextChunkAsync(chunks, deployment, deadline, aborted);
        state.TimeToFirstTokenMs = Stopwatch.GetElapsedTime(state.StartTimestamp).TotalMilliseconds;

        SseWriter.Start(context.Response);
        var writer = context.Response.BodyWriter;
        try
        {
            while (more)
            {
                var chunk = chunks.Current;
                if (chunk.Usage is { } usage)
                    state.Usage = usage;
                if (!chunk.IsUsageOnly || request.IncludeUsage)
                    await SseWriter.WriteDataAsync(writer, chunk.Data.Span, aborted);
                more = await ChatDispatcher.NextChunkAsync(chunks, deployment, deadline, aborted);
            }
            await recorder.RecordAsync(state, 200);
            await SseWriter.WriteDoneAsync(writer, aborted);
        }
        catch (GatewayError e)
        {
            state.ErrorKind = e.Kind.ToString();
            await recorder.RecordAsync(state, e.StatusCode);
            await SseWriter.WriteErrorAsync(writer, e, aborted);
        }
    }
}
