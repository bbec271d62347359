using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Sse;

namespace Gateway.Providers.OpenAI;

/// <summary>An open OpenAI-compatible SSE stream. Ends only on <c>[DONE]</c>; an early close is an error, never a silent truncation.</summary>
internal sealed class OpenAIChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, string deploymentId) : ChatStream
{
    public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = SseReader.ReadAsync(body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            if (!await MoveNextAsync(events).ConfigureAwait(false))
                throw GatewayError.StreamInterrupted(deploymentId);
            var data = events.Current.Data;
            if (OpenAIStreamMapper.IsDone(data.Span))
                yield break;
            yield return OpenAIStreamMapper.Map(data, deploymentId);
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
