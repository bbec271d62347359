using Gateway.Api.Http;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;
using Gateway.Core.Providers;
using Gateway.Core.Routing;

namespace Gateway.Api.Chat;

/// <summary>
/// Sends one request to one deployment under its deadline: <c>timeout</c> for a whole non-streaming call,
/// <c>stream_timeout</c> (else <c>timeout</c>) for a stream's first chunk and for each gap between chunks.
/// A deadline that fires becomes a 504; a client that leaves just cancels the upstream call.
/// </summary>
internal sealed class ChatDispatcher(DeploymentSelector selector, IProviderCatalog providers, Core.Configuration.GatewayConfig config)
{
    public const string DroppedParamsHeader = "x-gateway-dropped-params";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(600);

    /// <summary>Picks the deployment and settles unsupported parameters: a 400, or with drop_params the list dropped.</summary>
    public (Deployment Deployment, IReadOnlyList<string> Dropped) Route(ChatRequest request, RequestState state)
    {
        var deployment = selector.Select(request.Model);
        state.Deployment = deployment.Id;
        state.Provider = deployment.Provider;
        var supported = providers.SupportedChatParameters(deployment.Provider);
        var dropped = supported is null
            ? []
            : ParameterSupport.Check(request, supported, deployment.DropParams ?? config.DropParams, deployment.Provider);
        return (deployment, dropped);
    }

    public async Task<EmbeddingResponse> EmbedAsync(EmbeddingRequest request, RequestState state, CancellationToken clientAborted)
    {
        var deployment = selector.Select(request.Model);
        state.Deployment = deployment.Id;
        state.Provider = deployment.Provider;
        if (!providers.TryGetEmbedding(deployment.Provider, out var provider))
            throw Unsupported(deployment, "embeddings");
        var timeout = deployment.Timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        deadline.CancelAfter(timeout);
        try
        {
            return await provider.EmbedAsync(new EmbeddingCall(request, deployment, state.RequestId), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            throw GatewayError.UpstreamTimeout(deployment.Id, timeout);
        }
    }

    public async Task<ChatResponse> CompleteAsync(ChatRequest request, Deployment deployment, RequestState state, CancellationToken clientAborted)
    {
        if (!providers.TryGetChat(deployment.Provider, out var provider))
            throw Unsupported(deployment, "chat completions");
        var timeout = deployment.Timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        deadline.CancelAfter(timeout);
        try
        {
            return await provider.CompleteAsync(new ChatCall(request, deployment, state.RequestId), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            throw GatewayError.UpstreamTimeout(deployment.Id, timeout);
        }
    }

    public async Task<ChatStream> OpenStreamAsync(ChatRequest request, Deployment deployment, RequestState state, CancellationTokenSource deadline,
        CancellationToken clientAborted)
    {
        if (!providers.TryGetChatStream(deployment.Provider, out var provider))
            throw Unsupported(deployment, "streaming");
        var idle = StreamIdleTimeout(deployment);
        deadline.CancelAfter(idle);
        try
        {
            return await provider.OpenStreamAsync(new ChatCall(request, deployment, state.RequestId), deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            throw GatewayError.UpstreamTimeout(deployment.Id, idle);
        }
    }

    /// <summary>Waits for the next chunk under the idle deadline, restarting it each time.</summary>
    public static async ValueTask<bool> NextChunkAsync(IAsyncEnumerator<StreamChunk> chunks, Deployment deployment,
        CancellationTokenSource deadline, CancellationToken clientAborted)
    {
        var idle = StreamIdleTimeout(deployment);
        deadline.CancelAfter(idle);
        try
        {
            return await chunks.MoveNextAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            throw GatewayError.UpstreamTimeout(deployment.Id, idle);
        }
    }

    private static TimeSpan StreamIdleTimeout(Deployment deployment) => deployment.StreamTimeout ?? deployment.Timeout ?? DefaultTimeout;

    private static GatewayError Unsupported(Deployment deployment, string what) =>
        GatewayError.InvalidRequest($"Provider '{deployment.Provider}' of model '{deployment.GroupName}' does not support {what}.", "model", "unsupported_operation");
}
