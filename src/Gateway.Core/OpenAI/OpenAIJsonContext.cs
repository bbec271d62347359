using System.Text.Json.Serialization;

namespace Gateway.Core.OpenAI;

/// <summary>Source-generated serialisation for every OpenAI wire type the gateway writes (AOT-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelObject))]
[JsonSerializable(typeof(ChatCompletion))]
[JsonSerializable(typeof(ChatCompletionChunk))]
[JsonSerializable(typeof(CompletionUsage))]
public sealed partial class OpenAIJsonContext : JsonSerializerContext;
