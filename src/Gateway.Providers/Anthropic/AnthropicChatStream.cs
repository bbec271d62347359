using System.Runtime.CompilerServices;
using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Http;
using Gateway.Providers.Sse;

namespace Gateway.Providers.Anthropic;

/// <summary>An open Anthropic SSE stream. Ends only on <c>message_stop</c>; an early close is an error, never a silent truncation.</summary>
internal sealed class AnthropicChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, AnthropicStreamMapper mapper,
    string deploymentId) : HttpChatStream(request, response, body, deploymentId)
{
    public override async IAsyncEnumerable<StreamChunk> ReadChunksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = new List<StreamChunk>(2);
        await using var events = SseReader.ReadAsync(Body, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (!mapper.Completed)
        {
            var current = await NextEventAsync(events).ConfigureAwait(false);
            chunks.Clear();
            mapper.Map(current.Data, chunks);
            foreach (var chunk in chunks)
                yield return chunk;
        }
    }
}
