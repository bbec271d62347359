using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Core.OpenAI;
using Gateway.Providers.Anthropic;

namespace Gateway.Tests.Providers.Anthropic;

/// <summary>Loads the data files under Fixtures/anthropic and runs the request mapper the way the provider does.</summary>
internal static class AnthropicFixtures
{
    public static string Text(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "anthropic", name));

    public static Stream Open(string name) => File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Fixtures", "anthropic", name));

    public static (JsonNode Body, AnthropicRequestPlan Plan) Map(string openAIJson, string modelId = "claude-sonnet-4-20250514")
    {
        using var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(openAIJson));
        var output = new ArrayBufferWriter<byte>();
        var plan = AnthropicRequestMapper.Write(request, modelId, output);
        return (JsonNode.Parse(output.WrittenSpan)!, plan);
    }

    /// <summary>A minimal request with <paramref name="extra"/> fields appended (each starting with a comma).</summary>
    public static string Chat(string extra = "", string messages = """[{"role":"user","content":"hi"}]""") =>
        $$"""{"model":"claude","messages":{{messages}}{{extra}}}""";
}
