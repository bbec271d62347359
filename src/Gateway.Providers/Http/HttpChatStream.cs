using Gateway.Core.Errors;
using Gateway.Core.Providers;
using Gateway.Providers.Sse;

namespace Gateway.Providers.Http;

/// <summary>
/// A chat stream read from an upstream HTTP response body (SSE or AWS event-stream frames): owns the request, response
/// and body, and turns a connection dropped or a frame broken mid-stream into a retryable "stream interrupted" error.
/// </summary>
internal abstract class HttpChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, string deploymentId) : ChatStream
{
    protected Stream Body => body;
    protected string DeploymentId => deploymentId;

    /// <summary>The next SSE event, or a <see cref="GatewayError"/> when the upstream ends or breaks before the stream's end marker.</summary>
    protected async ValueTask<SseEvent> NextEventAsync(IAsyncEnumerator<SseEvent> events)
    {
        try
        {
            if (await events.MoveNextAsync().ConfigureAwait(false))
                return events.Current;
        }
        catch (Exception e) when (IsBrokenBody(e))
        {
        }
        throw GatewayError.StreamInterrupted(deploymentId);
    }

    /// <summary>A connection dropped, or framing that cannot be read: the stream was interrupted, not answered.</summary>
    protected static bool IsBrokenBody(Exception e) => e is IOException or HttpRequestException or InvalidDataException;

    public override async ValueTask DisposeAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        request.Dispose();
    }
}
