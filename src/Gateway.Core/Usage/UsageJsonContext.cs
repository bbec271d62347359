using System.Text.Json.Serialization;

namespace Gateway.Core.Usage;

/// <summary>Source-generated JSON for usage records (the durable log fallback when the store refuses a write).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(UsageRecord))]
public sealed partial class UsageJsonContext : JsonSerializerContext;
