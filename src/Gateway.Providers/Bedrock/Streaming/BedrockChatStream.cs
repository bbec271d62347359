using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Http;

namespace Gateway.Providers.Bedrock.Streaming;

/// <summary>An open ConverseStream response. It ends on the metadata frame, or cleanly after messageStop; a body that
/// ends earlier, or breaks inside a frame, is a retryable "stream interrupted" error, never a silent truncation.</summary>
internal sealed class BedrockChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, BedrockStreamMapper mapper,
    string deploymentId) : HttpChatStream(request, response, body, deploymentId)
{
    public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = new EventStreamReader(Body);
        var chunks = new List<StreamChunk>(2);
        while (!mapper.Completed)
        {
            EventStreamFrame? frame;
            try
            {
                frame = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsBrokenBody(e))
            {
                throw GatewayError.StreamInterrupted(DeploymentId);
            }
            if (frame is null)
            {
                if (mapper.Stopped)
                    yield break;
                throw GatewayError.StreamInterrupted(DeploymentId);
            }
            chunks.Clear();
            mapper.Map(frame.Value, chunks);
            foreach (var chunk in chunks)
                yield return chunk;
        }
    }
}
