using System.Text.Json.Serialization;

namespace Gateway.Core.OpenAI;

/// <summary>OpenAI's <c>ListModelsResponse</c>.</summary>
public sealed record ModelList(
    [property: JsonPropertyName("data")] IReadOnlyList<ModelObject> Data)
{
    [JsonPropertyName("object")] public string Object => "list";
}

/// <summary>OpenAI's <c>Model</c>.</summary>
public sealed record ModelObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy)
{
    [JsonPropertyName("object")] public string Object => "model";
}
