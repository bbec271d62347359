using System.Diagnostics;
using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Api.Http;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Api.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: authenticate, parse, route, call, account. Every accepted request gets a usage record.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, GatewayConfig config,
        ChatDispatcher dispatcher, RequestGate gate, UsageRecorder recorder)
    {
        var (state, caller) = await AccountedRequest.AuthenticateAsync(context, auth);
        await AccountedRequest.RunAsync(context, state, recorder, async () =>
        {
            using var body = await RequestBody.ReadAsync(context.Request, config.MaxRequestBytes, context.RequestAborted);
            using var request = ChatRequest.Parse(body.Memory);
            state.Model = request.Model;
            state.Stream = request.Stream;
            var group = RequestGate.ResolveModel(caller, request.Model);
            AccountedRequest.Describe(context, state, caller, config, group, request.Options.Tags, body.Memory.Span);
            await gate.AdmitAsync(context, state, caller, group, request, body.Length, context.RequestAborted);
            if (request.Stream)
                await StreamAsync(context, request, group, body.Length, state, dispatcher, recorder);
            else
                await CompleteAsync(context, request, group, body.Length, state, dispatcher, recorder);
        });
    }

    private static async Task CompleteAsync(HttpContext context, ChatRequest request, string group, int bodyBytes, RequestState state,
        ChatDispatcher dispatcher, UsageRecorder recorder)
    {
        var response = await dispatcher.CompleteAsync(request, group, bodyBytes, state, context.RequestAborted);
        state.Usage = response.Usage;
        state.ProviderModel = response.ProviderModel;
        state.CaptureResponse(response.Body.Span);
        await recorder.RecordAsync(state, 200);
        RoutingHeaders.Write(context.Response, state);
        CostHeaders.Write(context.Response, state);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }

    private static async Task StreamAsync(HttpContext context, ChatRequest request, string group, int bodyBytes, RequestState state,
        ChatDispatcher dispatcher, UsageRecorder recorder)
    {
        var aborted = context.RequestAborted;
        // The router retries and falls back until a first chunk exists; nothing reaches the client before that.
        await using var start = await dispatcher.OpenStreamAsync(request, group, bodyBytes, state, aborted);
        state.TimeToFirstTokenMs = Stopwatch.GetElapsedTime(state.StartTimestamp).TotalMilliseconds;

        RoutingHeaders.Write(context.Response, state);
        CostHeaders.DeclareTrailers(context.Response);
        SseWriter.Start(context.Response);
        var writer = context.Response.BodyWriter;
        try
        {
            byte[]? usageChunk = null;
            while (start.HasChunk)
            {
                var chunk = start.Chunks.Current;
                if (chunk.Usage is { } usage)
                    state.Usage = usage;
                // The usage-only chunk is held back until the cost is known, then sent with it (if the client asked).
                if (chunk.IsUsageOnly)
                    usageChunk = request.IncludeUsage ? chunk.Data.ToArray() : null;
                else
                    await SseWriter.WriteDataAsync(writer, chunk.Data.Span, aborted);
                state.CaptureResponse(chunk.Data.Span);
                start.HasChunk = await ChatDispatcher.NextChunkAsync(start, aborted);
            }
            await recorder.RecordAsync(state, 200);
            if (usageChunk is not null)
                await SseWriter.WriteDataAsync(writer, CostHeaders.AddToUsageChunk(usageChunk, state), aborted);
            CostHeaders.AppendTrailers(context.Response, state);
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
