namespace Gateway.Core.Providers;

/// <summary>Non-streaming chat completions. Providers classify their own failures as <see cref="Errors.GatewayError"/>.</summary>
public interface IChatProvider
{
    Task<ChatResponse> CompleteAsync(ChatCall call, CancellationToken cancellationToken);
}

/// <summary>Streaming chat completions, yielding OpenAI chunks as the upstream produces them.</summary>
public interface IChatStreamProvider
{
    /// <summary>Sends the request and returns once the upstream has accepted it (status and headers read).</summary>
    Task<ChatStream> OpenStreamAsync(ChatCall call, CancellationToken cancellationToken);
}
