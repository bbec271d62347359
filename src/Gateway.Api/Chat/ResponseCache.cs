using Gateway.Api.Http;
using Gateway.Api.Observability;
using Gateway.Core.Caching;
using Gateway.Core.Configuration;
using Gateway.Core.Governance;
using Gateway.Core.OpenAI;
using Gateway.Core.Storage;

namespace Gateway.Api.Chat;

/// <summary>What the cache will do for one request: the key, whether to look it up, whether to store the answer, for how long.</summary>
internal sealed record CachePlan(string Key, bool Lookup, bool Store, TimeSpan Ttl);

/// <summary>
/// The response cache on the gateway's store. A request is looked up unless it says <c>no-cache</c> (body
/// <c>cache: {"no-cache": true}</c> or header <c>Cache-Control: no-cache</c>); its answer is stored unless it says
/// <c>no-store</c>. Keys are scoped to the tenant (see <see cref="CacheScope"/>). The cache is best-effort: a store
/// failure is logged and the request is served as if the cache were off, never failed.
/// </summary>
internal sealed class ResponseCache(IResponseCacheStore store, GatewayConfig config, TimeProvider time, ILogger<ResponseCache> logger)
{
    public const string StatusHeader = "x-gateway-cache";
    public const string SkippedHeader = "x-gateway-cache-skipped";

    /// <summary>Null when the cache is off.</summary>
    public CachePlan? Plan(HttpRequest http, ChatRequest request, string group, Caller caller)
    {
        var settings = config.Cache;
        if (!settings.Enabled)
            return null;
        var directive = request.Options.Cache;
        var control = http.Headers.CacheControl.ToString();
        var noCache = directive?.NoCache == true || control.Contains("no-cache", StringComparison.OrdinalIgnoreCase);
        var noStore = directive?.NoStore == true || control.Contains("no-store", StringComparison.OrdinalIgnoreCase);
        var scope = settings.Scope switch
        {
            CacheScope.Global => "global",
            CacheScope.Key => "key:" + caller.KeyId,
            _ => (caller.Team?.TeamId ?? caller.Key?.TeamId) is { } team ? "team:" + team : "key:" + caller.KeyId,
        };
        var key = CacheKeys.For(request, group, scope, directive?.Namespace ?? settings.Namespace);
        return new CachePlan(key, !noCache, !noStore, directive?.Ttl ?? settings.Ttl);
    }

    public async Task<CachedAnswer?> LookupAsync(CachePlan plan, RequestState state, CancellationToken cancellationToken)
    {
        try
        {
            return await store.GetAsync(plan.Key, cancellationToken).ConfigureAwait(false) is { } stored ? CachedAnswer.Decode(stored.Span) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.CacheFailed(logger, "lookup", state.RequestId, e);
            return null;
        }
    }

    /// <summary>Stores the answer; false when it is too large for one item even compressed (it is then not cached).</summary>
    public async Task<bool> StoreAsync(CachePlan plan, CachedAnswer answer, RequestState state)
    {
        var encoded = answer.Encode(config.Cache.CompressAboveBytes);
        if (encoded.Length > config.Cache.MaxItemBytes)
            return false;
        try
        {
            await store.PutAsync(plan.Key, encoded, time.GetUtcNow() + plan.Ttl, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.CacheFailed(logger, "store", state.RequestId, e);
        }
        return true;
    }

    public static CachedAnswer AnswerOf(ReadOnlyMemory<byte> body, RequestState state) =>
        new(body, state.Usage ?? default, state.Cost, state.Trace.Deployment?.Id ?? state.Deployment, state.Provider, state.ProviderModel);
}
