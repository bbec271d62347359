using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Sse;

namespace Gateway.Providers.Anthropic;

/// <summary>An open Anthropic SSE stream. Ends only on <c>message_stop</c>; an early close is an error, never a silent truncation.</summary>
internal sealed class AnthropicChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, AnthropicStreamMapper mapper,
    string deploymentId) : ChatStream
{
    public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = new List<StreamChunk>(2);
        await using var events = SseReader.ReadAsync(body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (!mapper.Completed)
        {
            if (!await MoveNextAsync(events).ConfigureAwait(false))
                throw GatewayError.StreamInterrupted(deploymentId);
            chunks.Clear();
            mapper.Map(events.Current.Data, chunks);
            foreach (var chunk in chunks)
                yield return chunk;
        }
    }

    private async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<SseEvent> events)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException)
        {
            throw GatewayError.StreamInterrupted(deploymentId);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        request.Dispose();
    }
}
