using System.Text.Json.Serialization;

namespace Gateway.Core.OpenAI;

/// <summary>OpenAI's <c>ErrorResponse</c>: every failure the gateway returns has this shape.</summary>
public sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error);

public sealed record ErrorBody(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code);
