using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Http;
using Gateway.Providers.Sse;

namespace Gateway.Providers.OpenAI;

/// <summary>An open OpenAI-compatible SSE stream. Ends only on <c>[DONE]</c>; an early close is an error, never a silent truncation.</summary>
internal sealed class OpenAIChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, string deploymentId)
    : HttpChatStream(request, response, body, deploymentId)
{
    public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var events = SseReader.ReadAsync(Body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var current = await NextEventAsync(events).ConfigureAwait(false);
            var data = current.Data;
            if (OpenAIStreamMapper.IsDone(data.Span))
                yield break;
            yield return OpenAIStreamMapper.Map(data, DeploymentId);
        }
    }
}
