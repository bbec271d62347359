using System.Security.Cryptography;
using System.Text;

namespace Gateway.Core.Governance;

/// <summary>
/// Virtual keys: <c>sk-</c> plus 256 random bits (base64url). Only the SHA-256 hash is stored; the key id shown in
/// logs, usage records and the admin API is a prefix of that hash, never of the key.
/// </summary>
public static class VirtualKeys
{
    public const string Prefix = "sk-";
    private const int RandomBytes = 32;
    private const int KeyIdLength = 16;

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string IdOf(string keyHash) => keyHash[..KeyIdLength];
}
