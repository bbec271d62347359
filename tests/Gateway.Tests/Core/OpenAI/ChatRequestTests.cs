using System.Text;
using Gateway.Core.Errors;
using Gateway.Core.OpenAI;

namespace Gateway.Tests.Core.OpenAI;

public sealed class ChatRequestTests
{
    private const string UserMessage = """{"role":"user","content":"hi"}""";

    private static ChatRequest Parse(string json) => ChatRequest.Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>A minimal valid body with <paramref name="extra"/> (e.g. <c>"stream":true</c>) appended.</summary>
    private static string Body(string extra) => $$"""{"model":"gpt-4o","messages":[{{UserMessage}}],{{extra}}}""";

    private static GatewayError Rejects(byte[] body)
    {
        var error = Assert.Throws<GatewayError>(() => ChatRequest.Parse(body));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.Equal(ErrorKind.InvalidRequest, error.Kind);
        return error;
    }

    private static GatewayError Rejects(string json) => Rejects(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_MinimalRequest_ReadsModelAndDefaults()
    {
        using var request = Parse($$"""{"model":"gpt-4o","messages":[{{UserMessage}}]}""");

        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal(1, request.MessageCount);
        Assert.False(request.Stream);
        Assert.False(request.IncludeUsage);
        Assert.Null(request.MaxTokens);
        Assert.Null(request.User);
        Assert.False(request.HasTools);
    }

    [Fact]
    public void Parse_MaximalRequest_ReadsLiftedFields()
    {
        using var request = ChatRequest.Parse(File.ReadAllBytes(FixtureFile.Path("openai", "chat-request-maximal.json")));

        Assert.Equal("gpt-4o", request.Model);
        Assert.Equal(7, request.MessageCount);
        Assert.Equal(7, request.Messages.GetArrayLength());
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(256, request.MaxTokens);
        Assert.Equal("user-1234", request.User);
        Assert.True(request.HasTools);
        Assert.Equal(42, request.Root.GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Parse_IncludeUsageWithoutStream_IncludeUsageFalse()
    {
        using var request = Parse(Body("""
            "stream_options":{"include_usage":true}
            """));

        Assert.False(request.Stream);
        Assert.False(request.IncludeUsage);
    }

    [Fact]
    public void Parse_StreamWithoutStreamOptions_IncludeUsageFalse()
    {
        using var request = Parse(Body("\"stream\":true"));

        Assert.True(request.Stream);
        Assert.False(request.IncludeUsage);
    }

    [Fact]
    public void Parse_OnlyMaxTokens_UsesMaxTokens()
    {
        using var request = Parse(Body("\"max_tokens\":300"));

        Assert.Equal(300, request.MaxTokens);
    }

    [Fact]
    public void Parse_NestingWithinLimit_Accepted()
    {
        using var request = Parse(Body($"\"x\":{new string('[', 40)}{new string(']', 40)}"));

        Assert.Equal("gpt-4o", request.Model);
    }

    [Theory]
    [InlineData("{\"model\":")]
    [InlineData("{\"model\":\"m\",}")]
    [InlineData("not json")]
    [InlineData("")]
    public void Parse_InvalidJson_RejectsAsInvalidJson(string body)
    {
        var error = Rejects(body);

        Assert.Equal("invalid_json", error.Code);
        Assert.Null(error.Param);
    }

    [Theory]
    [InlineData("model")]
    [InlineData("content")]
    [InlineData("key")]
    public void Parse_InvalidUtf8_RejectsAsInvalidJson(string where)
    {
        // 0xC3 0x28 is an invalid two-byte sequence; 0xFF never appears in UTF-8.
        var body = where switch
        {
            "model" => Bytes("{\"model\":\"gpt", [0xC3, 0x28], $"\",\"messages\":[{UserMessage}]}}"),
            "content" => Bytes("{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"", [0xFF], "\"}]}"),
            _ => Bytes("{\"model\":\"gpt\",\"messages\":[" + UserMessage + "],\"x", [0xC3, 0x28], "\":1}"),
        };

        Assert.Equal("invalid_json", Rejects(body).Code);
    }

    [Fact]
    public void Parse_DeeplyNestedJson_RejectsAsInvalidJson()
    {
        var error = Rejects(Body($"\"x\":{new string('[', 70)}{new string(']', 70)}"));

        Assert.Equal("invalid_json", error.Code);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"gpt-4o\"")]
    [InlineData("null")]
    public void Parse_RootNotObject_Rejects(string body)
    {
        var error = Rejects(body);

        Assert.Equal("invalid_type", error.Code);
        Assert.Null(error.Param);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":null,"messages":[{"role":"user","content":"hi"}]}""", "model", "missing_required_parameter")]
    [InlineData("""{"model":42,"messages":[{"role":"user","content":"hi"}]}""", "model", "invalid_type")]
    [InlineData("""{"model":"","messages":[{"role":"user","content":"hi"}]}""", "model", "invalid_value")]
    [InlineData("""{"model":"m"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":{"role":"user","content":"hi"}}""", "messages", "invalid_type")]
    [InlineData("""{"model":"m","messages":[]}""", "messages", "invalid_value")]
    [InlineData("""{"model":"m","messages":["hi"]}""", "messages[0]", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"wizard","content":"b"}]}""", "messages[1].role", "invalid_value")]
    [InlineData("""{"model":"m","messages":[{"content":"a"}]}""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":null}]}""", "messages[0].content", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":7}]}""", "messages[0].content", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"a"},{"role":"tool","content":"42"}]}""", "messages[1].tool_call_id", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"text":"b"}]}]}""", "messages[0].content[1].type", "missing_required_parameter")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":["a"]}]}""", "messages[0].content[0]", "invalid_type")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":{}}]}""", "messages[0].tool_calls", "invalid_type")]
    public void Parse_InvalidShape_RejectsNamingParam(string body, string param, string code)
    {
        var error = Rejects(body);

        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.Contains(param, error.Message);
    }

    [Theory]
    [InlineData("\"stream\":\"yes\"", "stream")]
    [InlineData("\"stream\":1", "stream")]
    [InlineData("\"stream_options\":true", "stream_options")]
    [InlineData("\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}", "stream_options.include_usage")]
    [InlineData("\"temperature\":2.5", "temperature")]
    [InlineData("\"temperature\":-0.1", "temperature")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"top_p\":1.5", "top_p")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"max_tokens\":-5", "max_tokens")]
    [InlineData("\"max_tokens\":1.5", "max_tokens")]
    [InlineData("\"max_tokens\":\"100\"", "max_tokens")]
    [InlineData("\"max_tokens\":3000000000", "max_tokens")]
    [InlineData("\"max_tokens\":1e300", "max_tokens")]
    [InlineData("\"max_completion_tokens\":0", "max_completion_tokens")]
    [InlineData("\"n\":0", "n")]
    [InlineData("\"stop\":5", "stop")]
    [InlineData("\"stop\":{\"a\":1}", "stop")]
    [InlineData("\"stop\":true", "stop")]
    [InlineData("\"user\":123", "user")]
    [InlineData("\"tools\":{}", "tools")]
    public void Parse_InvalidOptionalField_RejectsNamingParam(string extra, string param)
    {
        Assert.Equal(param, Rejects(Body(extra)).Param);
    }

    private static byte[] Bytes(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];
}
