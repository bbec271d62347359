using System.Text.Json;
using Gateway.Api.Auth;
using Gateway.Core.Errors;
using Gateway.Core.Governance;
using Gateway.Core.Storage;

namespace Gateway.Api.Admin;

/// <summary>LiteLLM's <c>/key/*</c> admin routes. Keys are found by the raw key or its hash (<c>token</c>); only hashes are stored.</summary>
internal static class KeyAdminEndpoints
{
    public static async Task GenerateAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, ITeamStore teams, AdminRules rules, TimeProvider time)
    {
        var ct = await AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var now = time.GetUtcNow();
            var fields = await ApplyAsync(new VirtualKeyRecord { KeyHash = "", KeyId = "", CreatedAt = now }, body, teams, rules, now, ct);
            var (raw, record) = NewSecret(fields with { UpdatedAt = now });
            if (!await keys.CreateAsync(record, ct))
                throw new GatewayError(ErrorKind.Internal, 500, "A key with the same hash already exists; try again.", "api_error", "key_collision");
            await AdminJson.WriteAsync(context, w => AdminJson.Key(w, record, raw));
        }
    }

    public static async Task UpdateAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, ITeamStore teams, AdminRules rules, TimeProvider time)
    {
        var ct = await AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var now = time.GetUtcNow();
            var existing = await FindAsync(keys, body.RequiredString("key"), ct);
            var updated = await ApplyAsync(existing, body, teams, rules, now, ct) with { UpdatedAt = now };
            await SaveAsync(keys, auth, updated, ct);
            await AdminJson.WriteAsync(context, w => AdminJson.Key(w, updated));
        }
    }

    public static Task BlockAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, TimeProvider time) => SetBlockedAsync(context, auth, keys, time, true);

    public static Task UnblockAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, TimeProvider time) => SetBlockedAsync(context, auth, keys, time, false);

    public static async Task DeleteAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys)
    {
        var ct = await AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var deleted = new List<string>();
            foreach (var key in body.Strings("keys") ?? throw GatewayError.InvalidRequest("Missing required parameter: 'keys'.", "keys", "missing_required_parameter"))
            {
                var hash = HashOf(key);
                if (await keys.DeleteAsync(hash, ct))
                    deleted.Add(hash);
                auth.Forget(hash);
            }
            await AdminJson.WriteAsync(context, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("deleted_keys");
                deleted.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
    }

    public static async Task InfoAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, AdminRules rules)
    {
        var ct = await AuthorizeAsync(context, auth);
        var key = await FindAsync(keys, Query(context, "key"), ct);
        var (spend, reset) = await rules.SpendAsync($"key:{key.KeyId}", key.BudgetDuration, ct);
        await AdminJson.WriteAsync(context, w => AdminJson.Key(w, key, spend: spend, resetAt: reset));
    }

    public static async Task ListAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys)
    {
        var ct = await AuthorizeAsync(context, auth);
        var team = context.Request.Query["team_id"].ToString();
        var token = context.Request.Query["page_token"].ToString();
        var page = await keys.ListAsync(team.Length == 0 ? null : team, AdminRules.PageSize(context.Request), token.Length == 0 ? null : token, ct);
        await AdminJson.WriteAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var key in page.Keys)
                AdminJson.Key(w, key);
            w.WriteEndArray();
            if (page.NextPageToken is { } next) w.WriteString("next_page_token", next); else w.WriteNull("next_page_token");
            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /key/regenerate</c> (key in the body) and <c>POST /key/{key}/regenerate</c>: a new secret with the
    /// same settings; the old one stops working at once on this instance and within the cache TTL elsewhere.</summary>
    public static async Task RegenerateAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, ITeamStore teams, AdminRules rules, TimeProvider time)
    {
        var ct = await AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var now = time.GetUtcNow();
            var routeKey = context.Request.RouteValues["key"] as string;
            var existing = await FindAsync(keys, routeKey ?? body.RequiredString("key"), ct);
            var (raw, record) = NewSecret(await ApplyAsync(existing, body, teams, rules, now, ct) with { UpdatedAt = now });
            if (!await keys.CreateAsync(record, ct))
                throw new GatewayError(ErrorKind.Internal, 500, "A key with the same hash already exists; try again.", "api_error", "key_collision");
            await keys.DeleteAsync(existing.KeyHash, ct);
            auth.Forget(existing.KeyHash);
            await AdminJson.WriteAsync(context, w => AdminJson.Key(w, record, raw));
        }
    }

    private static async Task SetBlockedAsync(HttpContext context, CallerAuthenticator auth, IKeyStore keys, TimeProvider time, bool blocked)
    {
        var ct = await AuthorizeAsync(context, auth);
        var (document, body) = await AdminBody.ReadAsync(context.Request, ct);
        using (document)
        {
            var key = await FindAsync(keys, body.RequiredString("key"), ct) with { Blocked = blocked, UpdatedAt = time.GetUtcNow() };
            await SaveAsync(keys, auth, key, ct);
            await AdminJson.WriteAsync(context, w => AdminJson.Key(w, key));
        }
    }

    private static async Task<VirtualKeyRecord> ApplyAsync(VirtualKeyRecord key, AdminBody body, ITeamStore teams, AdminRules rules,
        DateTimeOffset now, CancellationToken ct)
    {
        var teamId = body.Has("team_id") ? body.String("team_id") : key.TeamId;
        if (body.Has("team_id") && teamId is not null && await teams.GetAsync(teamId, ct) is null)
            throw GatewayError.InvalidRequest($"Team '{teamId}' does not exist.", "team_id", "invalid_value");
        var updated = key with
        {
            KeyAlias = body.Has("key_alias") ? body.String("key_alias") : key.KeyAlias,
            TeamId = teamId,
            UserId = body.Has("user_id") ? body.String("user_id") : key.UserId,
            Models = rules.Models(body) ?? key.Models,
            MaxBudget = body.Has("max_budget") ? body.Money("max_budget") : key.MaxBudget,
            SoftBudget = body.Has("soft_budget") ? body.Money("soft_budget") : key.SoftBudget,
            BudgetDuration = body.Has("budget_duration") ? AdminRules.Duration(body) : key.BudgetDuration,
            RpmLimit = body.Has("rpm_limit") ? (int?)body.Count("rpm_limit") : key.RpmLimit,
            TpmLimit = body.Has("tpm_limit") ? body.Count("tpm_limit") : key.TpmLimit,
            MaxParallelRequests = body.Has("max_parallel_requests") ? (int?)body.Count("max_parallel_requests") : key.MaxParallelRequests,
            Expires = Expiry(body, now) ?? key.Expires,
            Metadata = body.Map("metadata") ?? key.Metadata,
            Tags = body.Strings("tags") ?? key.Tags,
            Aliases = Aliases(body, rules) ?? key.Aliases,
            Permissions = Permissions(body) ?? key.Permissions,
            Blocked = body.Bool("blocked") ?? key.Blocked,
        };
        AdminRules.CheckBudgets(updated.MaxBudget, updated.SoftBudget);
        return updated;
    }

    private static DateTimeOffset? Expiry(AdminBody body, DateTimeOffset now)
    {
        var expires = body.Duration("duration") is { } d ? now + d : body.Time("expires");
        return expires is { } e && e <= now
            ? throw GatewayError.InvalidRequest("'expires' must be in the future.", body.Has("duration") ? "duration" : "expires", "invalid_value")
            : expires;
    }

    private static Dictionary<string, string>? Aliases(AdminBody body, AdminRules rules)
    {
        var aliases = body.Map("aliases");
        foreach (var (_, target) in aliases ?? [])
            rules.CheckModel(target, "aliases");
        return aliases;
    }

    /// <summary>A role name, or LiteLLM's permissions object with a <c>role</c> field.</summary>
    private static string? Permissions(AdminBody body)
    {
        if (!body.Root.TryGetProperty("permissions", out var p) || p.ValueKind == JsonValueKind.Null)
            return null;
        var role = p.ValueKind switch
        {
            JsonValueKind.String => p.GetString(),
            JsonValueKind.Object when p.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String => r.GetString(),
            _ => null,
        };
        return role is not null && CallerRoles.Names.Contains(role)
            ? role
            : throw GatewayError.InvalidRequest($"'permissions' must be one of {string.Join(", ", CallerRoles.Names)}.", "permissions", "invalid_value");
    }

    private static (string Raw, VirtualKeyRecord Record) NewSecret(VirtualKeyRecord fields)
    {
        var raw = VirtualKeys.Generate();
        var hash = VirtualKeys.Hash(raw);
        return (raw, fields with { KeyHash = hash, KeyId = VirtualKeys.IdOf(hash) });
    }

    internal static string HashOf(string keyOrToken) =>
        keyOrToken.StartsWith(VirtualKeys.Prefix, StringComparison.Ordinal) ? VirtualKeys.Hash(keyOrToken) : keyOrToken.ToLowerInvariant();

    private static async Task<VirtualKeyRecord> FindAsync(IKeyStore keys, string keyOrToken, CancellationToken ct) =>
        await keys.GetByHashAsync(HashOf(keyOrToken), ct) ?? throw GatewayError.NotFound("No such key.");

    private static async Task SaveAsync(IKeyStore keys, CallerAuthenticator auth, VirtualKeyRecord key, CancellationToken ct)
    {
        if (!await keys.UpdateAsync(key, ct))
            throw GatewayError.NotFound("No such key.");
        auth.Forget(key.KeyHash);
    }

    internal static string Query(HttpContext context, string name) =>
        context.Request.Query[name].ToString() is { Length: > 0 } v
            ? v
            : throw GatewayError.InvalidRequest($"Missing required query parameter: '{name}'.", name, "missing_required_parameter");

    internal static async Task<CancellationToken> AuthorizeAsync(HttpContext context, CallerAuthenticator auth)
    {
        await auth.RequireAsync(context.Request, c => c.CanAdminister, "manage keys, teams or customers", context.RequestAborted);
        return context.RequestAborted;
    }
}
