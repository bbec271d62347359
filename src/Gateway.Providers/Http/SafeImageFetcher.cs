using System.Net;
using System.Net.Sockets;
using Gateway.Core.Errors;

namespace Gateway.Providers.Http;

/// <summary>
/// Fetches an image URL on a caller's behalf without letting the caller reach the gateway's own network: http(s) only;
/// DNS is resolved here and every resolved address must pass <see cref="AddressPolicy"/> (private, loopback,
/// link-local incl. the instance metadata address, CGNAT and mapped forms are refused); the connection goes to the
/// vetted address, so DNS rebinding cannot swap it; redirects are followed by hand (at most 3), each re-checked; a
/// 10 s timeout, a 5 MB cap and an image content-type allowlist. Every refusal is a 400 naming the request field.
/// </summary>
public sealed class SafeImageFetcher : IDisposable
{
    public const long MaxBytes = 5 * 1024 * 1024;
    private const int MaxRedirects = 3;
    private static readonly HashSet<string> ImageTypes = new(StringComparer.OrdinalIgnoreCase) { "image/png", "image/jpeg", "image/gif", "image/webp" };
    private readonly HttpClient _http;

    /// <param name="allow">The address policy; tests pass one that also admits 127.0.0.1 for a local image server.</param>
    public SafeImageFetcher(Func<IPAddress, bool>? allow = null)
    {
        var policy = allow ?? AddressPolicy.IsPublic;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, policy, ct),
        })
        { Timeout = TimeSpan.FromSeconds(10) };
    }

    public async Task<(byte[] Bytes, string MediaType)> FetchAsync(string url, string param, CancellationToken cancellationToken)
    {
        var target = Parse(url, param);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var response = await SendAsync(target, param, cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                target = Parse(new Uri(target, location).ToString(), param);
                continue;
            }
            if (!response.IsSuccessStatusCode)
                throw Refused(param, $"fetching the image returned HTTP {(int)response.StatusCode}");
            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!ImageTypes.Contains(mediaType))
                throw Refused(param, $"the URL served '{mediaType}', not png, jpeg, gif or webp");
            if (response.Content.Headers.ContentLength > MaxBytes)
                throw Refused(param, "the image is larger than 5 MB");
            return (await ReadCappedAsync(response, param, cancellationToken).ConfigureAwait(false), mediaType.ToLowerInvariant());
        }
        throw Refused(param, $"more than {MaxRedirects} redirects");
    }

    private async Task<HttpResponseMessage> SendAsync(Uri target, string param, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is RefusedAddressException refused)
        {
            throw Refused(param, refused.Message);
        }
        catch (HttpRequestException)
        {
            throw Refused(param, "the image could not be fetched");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refused(param, "fetching the image took longer than 10 s");
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, string param, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw Refused(param, "the image is larger than 5 MB");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, Func<IPAddress, bool> allow, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0 || addresses.Any(a => !allow(a)))
            throw new RefusedAddressException($"'{endpoint.Host}' resolves to an address the gateway does not fetch from (private, loopback or link-local)");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses[0], endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Uri Parse(string url, string param) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw Refused(param, "image URLs must be absolute http(s) URLs");

    private static GatewayError Refused(string param, string why) =>
        GatewayError.InvalidRequest($"The image at '{param}' was not used: {why}.", param, "invalid_image_url");

    public void Dispose() => _http.Dispose();

    private sealed class RefusedAddressException(string message) : IOException(message);
}
