using Gateway.Core.Providers;
using Gateway.Core.Routing;

namespace Gateway.Api.Chat;

/// <summary>A stream whose first chunk has arrived: from here on the client is committed to this deployment.</summary>
internal sealed class StreamStart(Deployment deployment, ChatStream stream, IAsyncEnumerator<StreamChunk> chunks,
    CancellationTokenSource deadline, TimeSpan idleTimeout, bool hasChunk) : IAsyncDisposable
{
    public Deployment Deployment { get; } = deployment;
    public IAsyncEnumerator<StreamChunk> Chunks { get; } = chunks;
    public CancellationTokenSource Deadline { get; } = deadline;
    public TimeSpan IdleTimeout { get; } = idleTimeout;
    public bool HasChunk { get; set; } = hasChunk;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Chunks.DisposeAsync();
            await stream.DisposeAsync();
        }
        finally
        {
            Deadline.Dispose();
        }
    }
}
