using System.Globalization;
using System.Text.Json.Serialization;

namespace Gateway.Core.Pricing;

/// <summary>
/// What one model costs at one provider, in USD PER TOKEN (the catalog's per-million prices divided by 1,000,000, exactly).
/// A null cache or reasoning price means the provider has no separate price for it: see <see cref="TokenRates"/>.
/// </summary>
internal sealed record ModelPrice
{
    public required string Provider { get; init; }
    /// <summary>The catalog's canonical id, whatever alias or inference-profile id was looked up.</summary>
    public required string Model { get; init; }
    /// <summary>The region override applied (e.g. <c>global</c> for a Bedrock <c>global.</c> profile), or null for the base price.</summary>
    public string? Region { get; init; }
    public required decimal Input { get; init; }
    public required decimal Output { get; init; }
    public decimal? CacheRead { get; init; }
    /// <summary>Cache write price; for Anthropic models the 5-minute write price.</summary>
    public decimal? CacheWrite { get; init; }
    /// <summary>Reasoning-token price; null means reasoning tokens bill as output (the usual case).</summary>
    public decimal? Reasoning { get; init; }
    public required int ContextWindow { get; init; }
    /// <summary>Null for models that produce no tokens (embeddings).</summary>
    public int? MaxOutputTokens { get; init; }
    /// <summary>Long-prompt prices, ascending by <see cref="PriceTier.AboveInputTokens"/>.</summary>
    public IReadOnlyList<PriceTier> Tiers { get; init; } = [];
    public string? Note { get; init; }

    /// <summary>Parses a catalog price ("2.5", USD per million tokens) into an exact per-token decimal.</summary>
    public static decimal PerToken(string perMillion)
    {
        if (!decimal.TryParse(perMillion, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"'{perMillion}' is not a plain non-negative decimal");
        return value / 1_000_000m;
    }
}

/// <summary>Prices (USD per token) that replace the base ones when a prompt has more than <see cref="AboveInputTokens"/> input tokens.</summary>
internal sealed record PriceTier(long AboveInputTokens, decimal Input, decimal Output, decimal? CacheRead, decimal? CacheWrite);

/// <summary>
/// The per-token rates for one call, tier already chosen. Where the catalog has no separate price, cache reads and
/// writes bill as input and reasoning bills as output, so every field is usable as is.
/// </summary>
internal readonly record struct TokenRates(decimal Input, decimal Output, decimal CacheRead, decimal CacheWrite, decimal Reasoning);

// ---- Wire format of price-catalog.json (prices are per-million decimal strings). Source-generated: AOT-safe. ----

internal sealed class CatalogFileDto
{
    public string? Checked { get; init; }
    public List<string>? Sources { get; init; }
    public string? Units { get; init; }
    public List<CatalogModelDto>? Models { get; init; }
}

internal sealed class CatalogModelDto
{
    public string? Provider { get; init; }
    public string? Model { get; init; }
    public List<string>? Aliases { get; init; }
    public int? ContextWindow { get; init; }
    public int? MaxOutputTokens { get; init; }
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? CacheRead { get; init; }
    public string? CacheWrite { get; init; }
    public string? Reasoning { get; init; }
    public List<CatalogTierDto>? Tiers { get; init; }
    public Dictionary<string, CatalogRegionDto>? Regions { get; init; }
    public string? Note { get; init; }
}

internal sealed class CatalogTierDto
{
    public long? AboveInputTokens { get; init; }
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? CacheRead { get; init; }
    public string? CacheWrite { get; init; }
}

/// <summary>A region's prices; a field left out keeps the model's base price.</summary>
internal sealed class CatalogRegionDto
{
    public string? Input { get; init; }
    public string? Output { get; init; }
    public string? CacheRead { get; init; }
    public string? CacheWrite { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(CatalogFileDto))]
internal sealed partial class PriceCatalogJsonContext : JsonSerializerContext;
