using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Configuration;
using Gateway.Core.Errors;
using Gateway.Core.Governance;
using Gateway.Core.Storage;

namespace Gateway.Api.Auth;

/// <summary>
/// Resolves <c>Authorization: Bearer</c> (or <c>x-api-key</c>) to a caller. The master key is compared as SHA-256
/// digests in constant time; a virtual key is looked up by its SHA-256 hash through a short per-instance cache
/// (<c>gateway_settings.key_cache_ttl_seconds</c>), then checked for expiry and blocking, its team's included.
/// Without a master key the gateway serves anyone (local use) but still honours virtual keys presented to it.
/// </summary>
internal sealed class CallerAuthenticator
{
    private readonly SecretValue? _master;
    private sealed record MasterDigestEntry(string Key, byte[] Digest);
    private MasterDigestEntry? _masterDigestOf;
    private readonly TtlCache<VirtualKeyRecord> _keys;
    private readonly TtlCache<TeamRecord> _teams;
    private readonly IKeyStore _keyStore;
    private readonly ITeamStore _teamStore;
    private readonly TimeProvider _time;

    public CallerAuthenticator(GatewayConfig config, IKeyStore keyStore, ITeamStore teamStore, TimeProvider time)
    {
        _master = config.MasterKeySecret;
        _keyStore = keyStore;
        _teamStore = teamStore;
        _time = time;
        _keys = new TtlCache<VirtualKeyRecord>(config.KeyCacheTtl, time);
        _teams = new TtlCache<TeamRecord>(config.KeyCacheTtl, time);
    }

    /// <summary>The master key's digest, recomputed only when a rotation replaced the key.</summary>
    private byte[]? MasterDigest
    {
        get
        {
            if (_master?.Current is not { } key)
                return null;
            var cached = Volatile.Read(ref _masterDigestOf);
            if (cached is not null && ReferenceEquals(cached.Key, key))
                return cached.Digest;
            var digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));
            Volatile.Write(ref _masterDigestOf, new MasterDigestEntry(key, digest));
            return digest;
        }
    }

    public async ValueTask<Caller> AuthenticateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var masterDigest = MasterDigest;
        var presented = PresentedKey(request);
        if (presented.Length == 0)
            return masterDigest is null ? Caller.Local : throw GatewayError.Unauthorized("Missing API key. Send 'Authorization: Bearer <key>' or 'x-api-key: <key>'.");
        if (masterDigest is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), masterDigest))
            return Caller.Master;
        var key = presented.StartsWith(VirtualKeys.Prefix, StringComparison.Ordinal)
            ? await LoadAsync(_keys, VirtualKeys.Hash(presented), _keyStore.GetByHashAsync, cancellationToken)
            : null;
        if (key is null)
            return masterDigest is null ? Caller.Local : throw GatewayError.Unauthorized("Invalid API key.");
        return await CheckAsync(key, cancellationToken);
    }

    /// <summary>Authenticates and requires a role; 403 names what the key may do instead.</summary>
    public async ValueTask<Caller> RequireAsync(HttpRequest request, Func<Caller, bool> allowed, string what, CancellationToken cancellationToken)
    {
        var caller = await AuthenticateAsync(request, cancellationToken);
        return allowed(caller)
            ? caller
            : throw GatewayError.Forbidden($"This key ({caller.Role.ToString().ToLowerInvariant()} permissions) may not {what}.");
    }

    /// <summary>This instance's own admin writes take effect here at once; other instances within the cache TTL.</summary>
    public void Forget(string keyHash) => _keys.Invalidate(keyHash);

    public void ForgetTeam(string teamId) => _teams.Invalidate(teamId);

    private async ValueTask<Caller> CheckAsync(VirtualKeyRecord key, CancellationToken cancellationToken)
    {
        if (key.Expires is { } expires && expires <= _time.GetUtcNow())
            throw GatewayError.Unauthorized($"API key '{key.KeyAlias ?? key.KeyId}' expired at {expires:yyyy-MM-ddTHH:mm:ssZ}.");
        if (key.Blocked)
            throw GatewayError.Forbidden($"API key '{key.KeyAlias ?? key.KeyId}' is blocked.");
        TeamRecord? team = null;
        if (key.TeamId is { } teamId)
        {
            team = await LoadAsync(_teams, teamId, _teamStore.GetAsync, cancellationToken);
            if (team?.Blocked == true)
                throw GatewayError.Forbidden($"Team '{team.TeamAlias ?? team.TeamId}' is blocked.");
        }
        return new Caller(key.KeyId, CallerRoles.Parse(key.Permissions), key, team);
    }

    /// <summary>A store that cannot answer means the key cannot be checked: refuse with 503, never let it through.</summary>
    private static async ValueTask<T?> LoadAsync<T>(TtlCache<T> cache, string id, Func<string, CancellationToken, Task<T?>> load,
        CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await cache.GetOrLoadAsync(id, load, cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or GatewayError))
        {
            throw new GatewayError(ErrorKind.StoreUnavailable, 503, "API keys cannot be checked because the gateway's store is unavailable; try again shortly.",
                "api_error", "store_unavailable", retryAfter: TimeSpan.FromSeconds(1), inner: e);
        }
    }

    internal static string PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString().AsSpan().Trim();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization[7..].Trim().ToString();
        return request.Headers["x-api-key"].ToString().Trim();
    }
}
