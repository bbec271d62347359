using System.Text.Json.Serialization;
using Gateway.Core.Storage;

namespace Gateway.Storage.Sqlite;

/// <summary>Source-generated JSON for records the embedded store keeps as documents (AOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(VirtualKeyRecord))]
[JsonSerializable(typeof(TeamRecord))]
[JsonSerializable(typeof(CustomerRecord))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
