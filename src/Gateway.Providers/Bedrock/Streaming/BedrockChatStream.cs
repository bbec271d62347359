using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Providers;

namespace Gateway.Providers.Bedrock.Streaming;

/// <summary>An open ConverseStream response. It ends on the metadata frame, or cleanly after messageStop; a body that
/// ends earlier, or breaks inside a frame, is a retryable "stream interrupted" error, never a silent truncation.</summary>
internal sealed class BedrockChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, BedrockStreamMapper mapper,
    string deploymentId) : ChatStream
{
    public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new EventStreamReader(body);
        var chunks = new List<StreamChunk>(2);
        while (!mapper.Completed)
        {
            var frame = await NextAsync(reader, cancellationToken).ConfigureAwait(false);
            if (frame is null)
            {
                if (mapper.Stopped)
                    yield break;
                throw GatewayError.StreamInterrupted(deploymentId);
            }
            chunks.Clear();
            mapper.Map(frame.Value, chunks);
            foreach (var chunk in chunks)
                yield return chunk;
        }
    }

    private async ValueTask<EventStreamFrame?> NextAsync(EventStreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
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
