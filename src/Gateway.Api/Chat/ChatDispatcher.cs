using Gateway.Api.Http;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Routing;

namespace Gateway.Api.Chat;

/// <summary>
/// Hands each request to the router and performs one attempt per call-back: the provider call under its deadline
/// (<c>timeout</c> for a whole call; for streams <c>stream_timeout</c>, else <c>timeout</c>, to the first chunk and
/// between chunks). A deadline that fires is a 504 the router may retry; a client that leaves just cancels.
/// A stream's attempt ends at its first chunk, so streams retry and fall back until the first byte reaches the client.
/// </summary>
internal sealed class ChatDispatcher(RequestRouter router, IProviderCatalog providers, GatewayConfig config, ContextWindowCheck contextWindow)
{
    public Task<ChatResponse> CompleteAsync(ChatRequest request, string group, int bodyBytes, RequestState state, CancellationToken aborted) =>
        router.ExecuteAsync(RouteFor(request, group, bodyBytes), state.Trace, async (deployment, timeout, ct) =>
        {
            var provider = Prepare<IChatProvider>(deployment, request, state, providers.TryGetChat, "chat completions");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            try
            {
                return await provider.CompleteAsync(new ChatCall(request, deployment, state.RequestId), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw GatewayError.UpstreamTimeout(deployment.Id, timeout);
            }
        }, aborted);

    public Task<StreamStart> OpenStreamAsync(ChatRequest request, string group, int bodyBytes, RequestState state, CancellationToken aborted) =>
        router.ExecuteAsync(RouteFor(request, group, bodyBytes) with { Stream = true }, state.Trace, async (deployment, timeout, ct) =>
        {
            var provider = Prepare<IChatStreamProvider>(deployment, request, state, providers.TryGetChatStream, "streaming");
            var idle = deployment.StreamTimeout ?? timeout;
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            ChatStream? stream = null;
            try
            {
                deadline.CancelAfter(idle);
                stream = await provider.OpenStreamAsync(new ChatCall(request, deployment, state.RequestId), deadline.Token).ConfigureAwait(false);
                var start = new StreamStart(deployment, stream, stream.ReadChunksAsync(deadline.Token).GetAsyncEnumerator(deadline.Token), deadline, idle, false);
                stream = null;
                try
                {
                    start.HasChunk = await NextChunkAsync(start, ct).ConfigureAwait(false);
                    return start;
                }
                catch
                {
                    await start.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw GatewayError.UpstreamTimeout(deployment.Id, idle);
            }
            catch when (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                deadline.Dispose();
                throw;
            }
        }, aborted);

    /// <summary>Waits for the next chunk under the idle deadline, restarting it each time.</summary>
    public static async ValueTask<bool> NextChunkAsync(StreamStart start, CancellationToken clientAborted)
    {
        start.Deadline.CancelAfter(start.IdleTimeout);
        try
        {
            return await start.Chunks.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            throw GatewayError.UpstreamTimeout(start.Deployment.Id, start.IdleTimeout);
        }
    }

    public Task<EmbeddingResponse> EmbedAsync(EmbeddingRequest request, string group, RequestState state, CancellationToken aborted) =>
        router.ExecuteAsync(new RouteRequest(group), state.Trace, async (deployment, timeout, ct) =>
        {
            state.Deployment = deployment.Id;
            state.Provider = deployment.Provider;
            if (!providers.TryGetEmbedding(deployment.Provider, out var provider))
                throw Unsupported(deployment, "embeddings");
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(timeout);
            try
            {
                return await provider.EmbedAsync(new EmbeddingCall(request, deployment, state.RequestId), deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw GatewayError.UpstreamTimeout(deployment.Id, timeout);
            }
        }, aborted);

    private RouteRequest RouteFor(ChatRequest request, string group, int bodyBytes) => new(group)
    {
        Fallbacks = request.Options.Fallbacks,
        NumRetries = request.Options.NumRetries,
        Timeout = request.Options.Timeout,
        MockTestingFallbacks = request.Options.MockTestingFallbacks,
        EstimatedPromptTokens = bodyBytes / 4 + (request.MaxTokens ?? 0),
        ExceedsContextWindow = contextWindow.For(request, bodyBytes),
    };

    private delegate bool TryGet<T>(string prefix, out T provider);

    /// <summary>Per attempt, since a fallback may cross providers: settles unsupported parameters (400, or dropped and
    /// reported with drop_params) for this deployment's provider and records where the attempt went.</summary>
    private T Prepare<T>(Deployment deployment, ChatRequest request, RequestState state, TryGet<T> lookup, string what)
    {
        state.Deployment = deployment.Id;
        state.Provider = deployment.Provider;
        if (!lookup(deployment.Provider, out var provider))
            throw Unsupported(deployment, what);
        var supported = providers.SupportedChatParameters(deployment.Provider);
        state.DroppedParams = supported is null
            ? []
            : ParameterSupport.Check(request, supported, deployment.DropParams ?? config.DropParams, deployment.Provider);
        return provider;
    }

    private static GatewayError Unsupported(Deployment deployment, string what) =>
        GatewayError.InvalidRequest($"Provider '{deployment.Provider}' of model '{deployment.GroupName}' does not support {what}.", "model", "unsupported_operation");
}
