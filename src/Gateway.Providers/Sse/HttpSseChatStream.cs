using Gateway.Core.Errors;
using Gateway.Core.Providers;

namespace Gateway.Providers.Sse;

/// <summary>
/// A chat stream read from an upstream HTTP response of Server-Sent Events: owns the request, response and body,
/// and turns a connection dropped mid-stream into a retryable "stream interrupted" error.
/// </summary>
internal abstract class HttpSseChatStream(HttpRequestMessage request, HttpResponseMessage response, Stream body, string deploymentId) : ChatStream
{
    protected Stream Body => body;
    protected string DeploymentId => deploymentId;

    /// <summary>The next event, or a <see cref="GatewayError"/> when the upstream ends or breaks before the stream's end marker.</summary>
    protected async ValueTask<SseEvent> NextEventAsync(IAsyncEnumerator<SseEvent> events)
    {
        try
        {
            if (await events.MoveNextAsync().ConfigureAwait(false))
                return events.Current;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidDataException)
        {
        }
        throw GatewayError.StreamInterrupted(deploymentId);
    }

    public override async ValueTask DisposeAsync()
    {
        await body.DisposeAsync().ConfigureAwait(false);
        response.Dispose();
        request.Dispose();
    }
}
