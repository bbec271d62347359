using Gateway.Core.Usage;

namespace Gateway.Core.Providers;

/// <summary>
/// One OpenAI <c>chat.completion.chunk</c> as UTF-8 JSON. <see cref="Data"/> is only valid until the
/// enumerator moves on: the host writes it to the client at once and keeps nothing.
/// </summary>
public readonly record struct StreamChunk(ReadOnlyMemory<byte> Data, TokenUsage? Usage = null, bool IsUsageOnly = false);

/// <summary>
/// An upstream stream whose response headers have arrived and said success. Failures before this point
/// are thrown by <see cref="IChatStreamProvider.OpenStreamAsync"/> (and may be retried); failures while
/// reading throw <see cref="Errors.GatewayError"/> from the enumerator.
/// </summary>
public abstract class ChatStream : IAsyncDisposable
{
    public abstract IAsyncEnumerable<StreamChunk> ReadChunksAsync(CancellationToken cancellationToken);
    public abstract ValueTask DisposeAsync();
}
