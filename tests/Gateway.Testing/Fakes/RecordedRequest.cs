using System.Text.Json.Nodes;

namespace Gateway.Testing.Fakes;

/// <summary>A request as the fake upstream received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] BodyBytes)
{
    public string Body => System.Text.Encoding.UTF8.GetString(BodyBytes);
    public JsonNode? Json => BodyBytes.Length == 0 ? null : JsonNode.Parse(BodyBytes);
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
