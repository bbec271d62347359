using System.Diagnostics;
using Gateway.Api.Auth;
using Gateway.Api.Chat;
using Gateway.Api.Http;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Api.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: authenticate, parse, admit, look up the cache, route, call, account.
/// Every accepted request gets a usage record, written before its response completes.</summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, CallerAuthenticator auth, GatewayConfig config,
        ChatDispatcher dispatcher, RequestGate gate, UsageRecorder recorder, ResponseCache cache)
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
            var plan = cache.Plan(context.Request, request, group, caller);
            if (plan is not null)
            {
                state.CacheStatus = plan.Lookup ? "miss" : "bypass";
                if (plan.Lookup && await cache.LookupAsync(plan, state, context.RequestAborted) is { } hit)
                {
                    await ServeHitAsync(context, request, hit, state, recorder);
                    return;
                }
            }
            var exchange = new Exchange(context, request, group, body.Length, state, dispatcher, recorder, cache, plan);
            if (request.Stream)
                await exchange.StreamAsync();
            else
                await exchange.CompleteAsync();
        });
    }

    /// <summary>A cache hit costs nothing, saves what the answer first cost, and is served in the shape asked for.</summary>
    private static async Task ServeHitAsync(HttpContext context, ChatRequest request, CachedAnswer hit, RequestState state, UsageRecorder recorder)
    {
        state.CacheStatus = "hit";
        state.Usage = hit.Usage;
        state.SavedCost = hit.Cost ?? 0m;
        state.Deployment = hit.Deployment;
        state.Provider = hit.Provider;
        state.ProviderModel = hit.ProviderModel;
        state.TimeToFirstTokenMs = Stopwatch.GetElapsedTime(state.StartTimestamp).TotalMilliseconds;
        await recorder.RecordAsync(state, 200);
        var response = context.Response;
        response.Headers[ResponseCache.StatusHeader] = "hit";
        CostHeaders.Write(response, state);
        var aborted = context.RequestAborted;
        if (!request.Stream)
        {
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.ContentLength = hit.Body.Length;
            await response.Body.WriteAsync(hit.Body, aborted);
            return;
        }
        SseWriter.Start(response);
        foreach (var (data, usageOnly) in StreamReplay.Chunks(hit.Body, hit.Usage))
        {
            if (!usageOnly)
                await SseWriter.WriteDataAsync(response.BodyWriter, data, aborted);
            else if (request.IncludeUsage)
                await SseWriter.WriteDataAsync(response.BodyWriter, CostHeaders.AddToUsageChunk(data, state), aborted);
        }
        await SseWriter.WriteDoneAsync(response.BodyWriter, aborted);
    }

    /// <summary>One request's trip upstream and back, plain or streamed, storing the answer in the cache when planned.</summary>
    private sealed class Exchange(HttpContext context, ChatRequest request, string group, int bodyBytes, RequestState state,
        ChatDispatcher dispatcher, UsageRecorder recorder, ResponseCache cache, CachePlan? plan)
    {
        public async Task CompleteAsync()
        {
            var response = await dispatcher.CompleteAsync(request, group, bodyBytes, state, context.RequestAborted);
            state.Usage = response.Usage;
            state.ProviderModel = response.ProviderModel;
            state.CaptureResponse(response.Body.Span);
            await recorder.RecordAsync(state, 200);
            var http = context.Response;
            if (plan is { Store: true } && !await cache.StoreAsync(plan, ResponseCache.AnswerOf(response.Body, state), state))
                http.Headers[ResponseCache.SkippedHeader] = "too_large";
            RoutingHeaders.Write(http, state);
            CostHeaders.Write(http, state);
            if (state.CacheStatus is { } status)
                http.Headers[ResponseCache.StatusHeader] = status;
            http.StatusCode = 200;
            http.ContentType = "application/json";
            http.ContentLength = response.Body.Length;
            await http.Body.WriteAsync(response.Body, context.RequestAborted);
        }

        public async Task StreamAsync()
        {
            var aborted = context.RequestAborted;
            // The router retries and falls back until a first chunk exists; nothing reaches the client before that.
            await using var start = await dispatcher.OpenStreamAsync(request, group, bodyBytes, state, aborted);
            state.TimeToFirstTokenMs = Stopwatch.GetElapsedTime(state.StartTimestamp).TotalMilliseconds;

            var http = context.Response;
            RoutingHeaders.Write(http, state);
            if (state.CacheStatus is { } status)
                http.Headers[ResponseCache.StatusHeader] = status;
            CostHeaders.DeclareTrailers(http);
            SseWriter.Start(http);
            var writer = http.BodyWriter;
            var assembler = plan is { Store: true } ? new StreamAssembler() : null;
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
                    {
                        usageChunk = request.IncludeUsage ? chunk.Data.ToArray() : null;
                    }
                    else
                    {
                        await SseWriter.WriteDataAsync(writer, chunk.Data.Span, aborted);
                        assembler?.Add(chunk.Data.Span);
                    }
                    state.CaptureResponse(chunk.Data.Span);
                    start.HasChunk = await ChatDispatcher.NextChunkAsync(start, aborted);
                }
                await recorder.RecordAsync(state, 200);
                if (assembler is not null)
                    await cache.StoreAsync(plan!, ResponseCache.AnswerOf(assembler.ToCompletion(state.Usage), state), state);
                if (usageChunk is not null)
                    await SseWriter.WriteDataAsync(writer, CostHeaders.AddToUsageChunk(usageChunk, state), aborted);
                CostHeaders.AppendTrailers(http, state);
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
}
