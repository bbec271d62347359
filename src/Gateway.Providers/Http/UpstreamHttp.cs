using System.Net;
using System.Net.Http.Headers;
using Gateway.Core.Errors;
using Gateway.Core.Providers;

namespace Gateway.Providers.Http;

/// <summary>The one connection pool every provider shares, and the send/read steps they have in common.</summary>
public static class UpstreamHttp
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>One long-lived client: pooled connections, DNS refreshed every few minutes, no overall timeout
    /// (deadlines are per attempt, owned by the caller's cancellation token).</summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.All,
        MaxConnectionsPerServer = int.MaxValue,
        EnableMultipleHttp2Connections = true,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Sends, turning connection failures into a retryable <see cref="GatewayError"/>; cancellation propagates.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string deploymentId,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw GatewayError.UpstreamUnreachable(deploymentId, e);
        }
    }

    /// <summary>
    /// Sends a streaming request and waits for its status and headers only. On success <paramref name="open"/> receives
    /// the request, response and body stream and owns them from then on (the stream disposes them); on an error status,
    /// or any failure before that, both are disposed here and the error is what <paramref name="errorFrom"/> makes of it.
    /// </summary>
    public static async Task<ChatStream> OpenStreamAsync(HttpClient client, HttpRequestMessage request, string deploymentId,
        Func<HttpResponseMessage, Task<GatewayError>> errorFrom, Func<HttpRequestMessage, HttpResponseMessage, Stream, ChatStream> open,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        HttpRequestMessage? owned = request;
        try
        {
            response = await SendAsync(client, request, deploymentId, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw await errorFrom(response).ConfigureAwait(false);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var stream = open(request, response, body);
            owned = null;
            response = null;
            return stream;
        }
        finally
        {
            response?.Dispose();
            owned?.Dispose();
        }
    }

    /// <summary>Reads at most 64 KB of an error body: enough for any provider's message, bounded against hostile upstreams.</summary>
    public static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
                total += read;
            return buffer[..total];
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>Reads a whole success body, mapping a connection dropped mid-body to a retryable error.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string deploymentId, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw GatewayError.StreamInterrupted(deploymentId);
        }
    }
}
