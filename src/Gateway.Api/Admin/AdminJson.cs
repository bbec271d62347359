using System.Buffers;
using System.Text.Json;
using Gateway.Core.Governance;
using Gateway.Core.Storage;

namespace Gateway.Api.Admin;

/// <summary>Writes admin answers with LiteLLM's field names. A raw key is written only when it was just created.</summary>
internal static class AdminJson
{
    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        await using (var writer = new Utf8JsonWriter(output))
            write(writer);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    public static void Key(Utf8JsonWriter w, VirtualKeyRecord k, string? rawKey = null, MeterSnapshot? spend = null, DateTimeOffset? resetAt = null)
    {
        w.WriteStartObject();
        if (rawKey is not null)
            w.WriteString("key", rawKey);
        w.WriteString("token", k.KeyHash);
        w.WriteString("key_id", k.KeyId);
        NullableString(w, "key_alias", k.KeyAlias);
        NullableString(w, "team_id", k.TeamId);
        NullableString(w, "user_id", k.UserId);
        Strings(w, "models", k.Models);
        Limits(w, k.MaxBudget, k.SoftBudget, k.BudgetDuration, k.RpmLimit, k.TpmLimit, k.MaxParallelRequests);
        Spend(w, spend, resetAt);
        if (k.Expires is { } expires) w.WriteString("expires", expires); else w.WriteNull("expires");
        Map(w, "metadata", k.Metadata);
        Strings(w, "tags", k.Tags);
        Map(w, "aliases", k.Aliases);
        w.WriteString("permissions", k.Permissions);
        w.WriteBoolean("blocked", k.Blocked);
        w.WriteString("created_at", k.CreatedAt);
        w.WriteString("updated_at", k.UpdatedAt);
        w.WriteEndObject();
    }

    public static void Team(Utf8JsonWriter w, TeamRecord t, MeterSnapshot? spend = null, DateTimeOffset? resetAt = null)
    {
        w.WriteStartObject();
        w.WriteString("team_id", t.TeamId);
        NullableString(w, "team_alias", t.TeamAlias);
        Strings(w, "models", t.Models);
        Limits(w, t.MaxBudget, t.SoftBudget, t.BudgetDuration, t.RpmLimit, t.TpmLimit, t.MaxParallelRequests);
        Spend(w, spend, resetAt);
        Map(w, "metadata", t.Metadata);
        w.WriteBoolean("blocked", t.Blocked);
        w.WriteString("created_at", t.CreatedAt);
        w.WriteEndObject();
    }

    public static void Customer(Utf8JsonWriter w, CustomerRecord c, MeterSnapshot? spend = null, DateTimeOffset? resetAt = null)
    {
        w.WriteStartObject();
        w.WriteString("user_id", c.UserId);
        NullableString(w, "alias", c.Alias);
        if (c.MaxBudget is { } b) w.WriteNumber("max_budget", b); else w.WriteNull("max_budget");
        NullableString(w, "budget_duration", c.BudgetDuration);
        Spend(w, spend, resetAt);
        w.WriteBoolean("blocked", c.Blocked);
        w.WriteEndObject();
    }

    private static void Limits(Utf8JsonWriter w, decimal? max, decimal? soft, string? duration, int? rpm, long? tpm, int? parallel)
    {
        if (max is { } m) w.WriteNumber("max_budget", m); else w.WriteNull("max_budget");
        if (soft is { } s) w.WriteNumber("soft_budget", s); else w.WriteNull("soft_budget");
        NullableString(w, "budget_duration", duration);
        if (rpm is { } r) w.WriteNumber("rpm_limit", r); else w.WriteNull("rpm_limit");
        if (tpm is { } t) w.WriteNumber("tpm_limit", t); else w.WriteNull("tpm_limit");
        if (parallel is { } p) w.WriteNumber("max_parallel_requests", p); else w.WriteNull("max_parallel_requests");
    }

    private static void Spend(Utf8JsonWriter w, MeterSnapshot? spend, DateTimeOffset? resetAt)
    {
        if (spend is not { } s)
            return;
        w.WriteNumber("spend", s.Spent);
        w.WriteNumber("reserved", s.Reserved);
        if (resetAt is { } r) w.WriteString("budget_reset_at", r); else w.WriteNull("budget_reset_at");
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Map(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map)
            w.WriteString(k, v);
        w.WriteEndObject();
    }
}
