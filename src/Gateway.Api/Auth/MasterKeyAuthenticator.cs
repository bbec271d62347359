using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;

namespace Gateway.Api.Auth;

/// <summary>
/// Checks <c>Authorization: Bearer</c> (or <c>x-api-key</c>) against the master key. Compares SHA-256 digests
/// in constant time, so neither the key's content nor its length leaks through timing. Virtual keys come with governance.
/// </summary>
internal sealed class MasterKeyAuthenticator
{
    public const string MasterKeyId = "master";
    public const string LocalKeyId = "local";

    private readonly byte[]? _masterDigest;

    public MasterKeyAuthenticator(GatewayConfig config)
    {
        if (config.MasterKey is { } key)
            _masterDigest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Returns the caller's key id, or throws 401.</summary>
    public string Authenticate(HttpRequest request)
    {
        if (_masterDigest is null)
            return LocalKeyId;
        var presented = PresentedKey(request);
        if (presented.IsEmpty)
            throw GatewayError.Unauthorized("Missing API key. Send 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        HashUtf8(presented, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, _masterDigest))
            throw GatewayError.Unauthorized("Invalid API key.");
        return MasterKeyId;
    }

    internal static ReadOnlySpan<char> PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString().AsSpan().Trim();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization[7..].Trim();
        return request.Headers["x-api-key"].ToString().AsSpan().Trim();
    }

    private static void HashUtf8(ReadOnlySpan<char> key, Span<byte> digest)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        var rented = max <= 512 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        Span<byte> bytes = rented ?? stackalloc byte[512];
        var n = Encoding.UTF8.GetBytes(key, bytes);
        SHA256.HashData(bytes[..n], digest);
        if (rented is not null)
            System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
    }
}
