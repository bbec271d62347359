using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Gateway.Core.Pricing;

/// <summary>
/// The gateway's own price catalog (embedded <c>price-catalog.json</c>): per-token prices, tiers, region overrides and
/// limits for each provider's models. Lookups are case-insensitive, resolve aliases and, for Bedrock, strip
/// cross-Region inference-profile prefixes (<c>us.</c>, <c>eu.</c>, <c>apac.</c>, <c>global.</c>...).
/// </summary>
internal sealed class PriceCatalog
{
    public const string ResourceName = "price-catalog.json";
    public const string BedrockProvider = "bedrock";
    /// <summary>Region key whose prices a Bedrock <c>global.</c> inference profile pays.</summary>
    public const string GlobalProfileRegion = "global";

    // Longest first where one could shadow another ("us-gov." before "us.").
    private static readonly string[] ProfilePrefixes = ["us-gov.", "global.", "apac.", "us.", "eu.", "jp.", "au."];
    private static readonly Lazy<PriceCatalog> Embedded = new(LoadEmbedded);

    private sealed record Entry(ModelPrice Base, FrozenDictionary<string, ModelPrice> Regions);

    private readonly FrozenDictionary<string, FrozenDictionary<string, Entry>> _byProvider;

    private PriceCatalog(DateOnly checkedOn, IReadOnlyList<ModelPrice> models, FrozenDictionary<string, FrozenDictionary<string, Entry>> byProvider)
    {
        Checked = checkedOn;
        Models = models;
        _byProvider = byProvider;
    }

    /// <summary>The catalog embedded in Gateway.Core, loaded once.</summary>
    public static PriceCatalog Default => Embedded.Value;

    /// <summary>When the prices were last checked against their sources.</summary>
    public DateOnly Checked { get; }

    /// <summary>Every entry's base price, in catalog order.</summary>
    public IReadOnlyList<ModelPrice> Models { get; }

    public static PriceCatalog LoadEmbedded()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing from {typeof(PriceCatalog).Assembly.GetName().Name}");
        return Load(stream);
    }

    /// <summary>Reads and validates a catalog; throws <see cref="InvalidDataException"/> naming the first bad entry.</summary>
    public static PriceCatalog Load(Stream json)
    {
        CatalogFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize(json, PriceCatalogJsonContext.Default.CatalogFileDto);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{ResourceName}: {e.Message}", e);
        }
        if (file?.Models is not { Count: > 0 } dtos)
            throw new InvalidDataException($"{ResourceName}: models must list at least one model");
        if (!DateOnly.TryParseExact(file.Checked, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var checkedOn))
            throw new InvalidDataException($"{ResourceName}: checked must be a yyyy-MM-dd date");

        var models = new List<ModelPrice>(dtos.Count);
        var byProvider = new Dictionary<string, Dictionary<string, Entry>>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < dtos.Count; i++)
        {
            var where = $"{ResourceName}: models[{i}] ({dtos[i].Provider}/{dtos[i].Model})";
            Entry entry;
            try
            {
                entry = ToEntry(dtos[i]);
            }
            catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException)
            {
                throw new InvalidDataException($"{where}: {e.Message}", e);
            }
            models.Add(entry.Base);
            if (!byProvider.TryGetValue(entry.Base.Provider, out var ids))
                byProvider[entry.Base.Provider] = ids = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
            foreach (var id in (string[])[entry.Base.Model, .. dtos[i].Aliases ?? []])
            {
                if (string.IsNullOrWhiteSpace(id) || !ids.TryAdd(id, entry))
                    throw new InvalidDataException($"{where}: id or alias '{id}' is blank or already used by this provider");
            }
        }

        var frozen = byProvider.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        return new PriceCatalog(checkedOn, models, frozen);
    }

    /// <summary>
    /// Finds the price of <paramref name="modelId"/> (canonical id or alias, any case) at <paramref name="provider"/>.
    /// For Bedrock an inference-profile prefix or model ARN is reduced to the base model id, and a <c>global.</c> profile
    /// takes the <c>global</c> override. Otherwise the override for <paramref name="region"/> applies when the model has one.
    /// </summary>
    public bool TryGet(string provider, string modelId, string? region, [MaybeNullWhen(false)] out ModelPrice price)
    {
        price = null;
        if (!_byProvider.TryGetValue(provider, out var ids))
            return false;
        if (!ids.TryGetValue(modelId, out var entry))
        {
            if (!string.Equals(provider, BedrockProvider, StringComparison.OrdinalIgnoreCase))
                return false;
            var (baseId, profileRegion) = SplitBedrockId(modelId);
            if (!ids.TryGetValue(baseId, out entry))
                return false;
            if (profileRegion is not null)
                region = profileRegion;
        }
        price = region is not null && entry.Regions.TryGetValue(region, out var regional) ? regional : entry.Base;
        return true;
    }

    /// <summary>The rates one call pays: the last tier whose threshold <paramref name="inputTokens"/> exceeds, else the base prices.</summary>
    public static TokenRates PriceFor(ModelPrice price, long inputTokens)
    {
        ArgumentNullException.ThrowIfNull(price);
        decimal input = price.Input, output = price.Output;
        decimal? cacheRead = price.CacheRead, cacheWrite = price.CacheWrite;
        foreach (var tier in price.Tiers)
        {
            if (inputTokens <= tier.AboveInputTokens)
                break;
            (input, output, cacheRead, cacheWrite) = (tier.Input, tier.Output, tier.CacheRead, tier.CacheWrite);
        }
        return new TokenRates(input, output, cacheRead ?? input, cacheWrite ?? input, price.Reasoning ?? output);
    }

    /// <summary>"arn:...:inference-profile/eu.x" or "converse/us.x" → ("x", null); "global.x" → ("x", "global").</summary>
    private static (string BaseId, string? ProfileRegion) SplitBedrockId(string modelId)
    {
        var id = modelId[(modelId.LastIndexOf('/') + 1)..];
        foreach (var prefix in ProfilePrefixes)
        {
            if (id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var isGlobal = prefix.Equals("global.", StringComparison.Ordinal);
                return (id[prefix.Length..], isGlobal ? GlobalProfileRegion : null);
            }
        }
        return (id, null);
    }

    private static Entry ToEntry(CatalogModelDto dto)
    {
        if (string.IsNullOrWhiteSpace(dto.Provider) || string.IsNullOrWhiteSpace(dto.Model))
            throw new InvalidDataException("provider and model are required");
        if (dto.ContextWindow is not > 0)
            throw new InvalidDataException("context_window must be a positive integer");
        if (dto.MaxOutputTokens is <= 0)
            throw new InvalidDataException("max_output_tokens must be positive or null");

        var tiers = new List<PriceTier>();
        foreach (var t in dto.Tiers ?? [])
        {
            if (t.AboveInputTokens is not { } above || above <= (tiers.Count > 0 ? tiers[^1].AboveInputTokens : 0))
                throw new InvalidDataException("tiers need above_input_tokens, positive and ascending");
            if ((t.CacheRead is null) != (dto.CacheRead is null) || (t.CacheWrite is null) != (dto.CacheWrite is null))
                throw new InvalidDataException("a tier must price exactly the cache fields the base prices");
            tiers.Add(new PriceTier(above, Required(t.Input, "tier input"), Required(t.Output, "tier output"), Optional(t.CacheRead), Optional(t.CacheWrite)));
        }
        if (tiers.Count > 0 && dto.Regions is { Count: > 0 })
            throw new InvalidDataException("a model cannot have both tiers and region overrides");

        var basePrice = new ModelPrice
        {
            Provider = dto.Provider,
            Model = dto.Model,
            Input = Required(dto.Input, "input"),
            Output = Required(dto.Output, "output"),
            CacheRead = Optional(dto.CacheRead),
            CacheWrite = Optional(dto.CacheWrite),
            Reasoning = Optional(dto.Reasoning),
            ContextWindow = dto.ContextWindow.Value,
            MaxOutputTokens = dto.MaxOutputTokens,
            Tiers = tiers.ToArray(),
            Note = dto.Note,
        };
        var regions = (dto.Regions ?? []).ToFrozenDictionary(
            r => string.IsNullOrWhiteSpace(r.Key) ? throw new InvalidDataException("region keys must not be blank") : r.Key,
            r => basePrice with
            {
                Region = r.Key,
                Input = Optional(r.Value.Input) ?? basePrice.Input,
                Output = Optional(r.Value.Output) ?? basePrice.Output,
                CacheRead = Optional(r.Value.CacheRead) ?? basePrice.CacheRead,
                CacheWrite = Optional(r.Value.CacheWrite) ?? basePrice.CacheWrite,
            },
            StringComparer.OrdinalIgnoreCase);
        return new Entry(basePrice, regions);
    }

    private static decimal Required(string? perMillion, string field) =>
        perMillion is null ? throw new InvalidDataException($"{field} price is required") : ModelPrice.PerToken(perMillion);

    private static decimal? Optional(string? perMillion) => perMillion is null ? null : ModelPrice.PerToken(perMillion);
}
