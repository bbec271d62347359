using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Core.OpenAI;
using Gateway.Providers.OpenAI;

namespace Gateway.Tests.Providers.OpenAI;

public sealed class OpenAIRequestMapperTests
{
    private const string UpstreamModel = "accounts/acme/models/gpt-4o-2024-08-06";

    /// <summary>The fixture with every field the gateway does not interpret, adjusted by <paramref name="edit"/>.</summary>
    private static JsonObject Input(Action<JsonObject>? edit = null)
    {
        var input = JsonNode.Parse(FixtureFile.Text("openai", "chat-request-extras.json"))!.AsObject();
        edit?.Invoke(input);
        return input;
    }

    private static JsonObject Map(JsonObject input)
    {
        using var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(input.ToJsonString()));
        var output = new ArrayBufferWriter<byte>();
        OpenAIRequestMapper.Write(request, UpstreamModel, output);
        return JsonNode.Parse(output.WrittenSpan)!.AsObject();
    }

    private static void AssertJsonEqual(JsonNode expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}{Environment.NewLine}actual   {actual?.ToJsonString()}");

    [Fact]
    public void Write_NonStreaming_KeepsEveryFieldAndReplacesModel()
    {
        var input = Input();

        var output = Map(input);

        var expected = input.DeepClone().AsObject();
        expected["model"] = UpstreamModel;
        AssertJsonEqual(expected, output);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("logprobs")]
    [InlineData("top_logprobs")]
    [InlineData("response_format")]
    [InlineData("tools")]
    [InlineData("x_vendor_options")]
    [InlineData("x_custom_extra")]
    [InlineData("messages")]
    [InlineData("temperature")]
    public void Write_UninterpretedField_CopiedAsSameJsonValue(string field)
    {
        var input = Input(o => o["stream"] = true);

        var output = Map(input);

        AssertJsonEqual(input[field]!, output[field]);
    }

    [Fact]
    public void Write_AnyRequest_KeepsPropertyOrderAndOneModel()
    {
        var input = Input(o => o["stream"] = false);

        var output = Map(input);

        Assert.Equal(input.Select(p => p.Key), output.Select(p => p.Key));
        Assert.Equal(UpstreamModel, (string?)output["model"]);
    }

    [Fact]
    public void Write_NonStreaming_LeavesStreamOptionsUntouched()
    {
        var input = Input(o => o["stream"] = false);

        var output = Map(input);

        AssertJsonEqual(JsonNode.Parse("""{"include_usage":false,"continuous_usage_stats":true}""")!, output["stream_options"]);
    }

    [Fact]
    public void Write_NonStreamingWithoutStreamOptions_AddsNone()
    {
        var output = Map(Input(o => o.Remove("stream_options")));

        Assert.False(output.ContainsKey("stream_options"));
        Assert.False(output.ContainsKey("stream"));
    }

    [Fact]
    public void Write_StreamingWithoutStreamOptions_AddsIncludeUsage()
    {
        var input = Input(o =>
        {
            o.Remove("stream_options");
            o["stream"] = true;
        });

        var output = Map(input);

        AssertJsonEqual(JsonNode.Parse("""{"include_usage":true}""")!, output["stream_options"]);
        var expected = input.DeepClone().AsObject();
        expected["model"] = UpstreamModel;
        expected["stream_options"] = new JsonObject { ["include_usage"] = true };
        AssertJsonEqual(expected, output);
    }

    [Fact]
    public void Write_StreamingWithIncludeUsageFalse_OverridesToTrueAndKeepsOtherOptions()
    {
        var output = Map(Input(o => o["stream"] = true));

        AssertJsonEqual(JsonNode.Parse("""{"continuous_usage_stats":true,"include_usage":true}""")!, output["stream_options"]);
    }

    [Fact]
    public void Write_StreamingWithNestedStreamOptions_KeepsThemAndAddsIncludeUsage()
    {
        var output = Map(Input(o =>
        {
            o["stream"] = true;
            o["stream_options"] = JsonNode.Parse("""{"vendor":{"a":[1,{"b":null}]},"include_usage":true}""");
        }));

        AssertJsonEqual(JsonNode.Parse("""{"vendor":{"a":[1,{"b":null}]},"include_usage":true}""")!, output["stream_options"]);
    }

    [Fact]
    public void Write_StreamingWithNullStreamOptions_AddsIncludeUsage()
    {
        var output = Map(Input(o =>
        {
            o["stream"] = true;
            o["stream_options"] = null;
        }));

        AssertJsonEqual(JsonNode.Parse("""{"include_usage":true}""")!, output["stream_options"]);
    }

    [Fact]
    public void Write_Output_IsOneValidJsonObject()
    {
        using var request = ChatRequest.Parse(Encoding.UTF8.GetBytes(Input(o => o["stream"] = true).ToJsonString()));
        var output = new ArrayBufferWriter<byte>();

        OpenAIRequestMapper.Write(request, UpstreamModel, output);

        using var document = JsonDocument.Parse(output.WrittenMemory);
        Assert.Equal(1, document.RootElement.EnumerateObject().Count(p => p.NameEquals("model")));
        Assert.Equal(1, document.RootElement.EnumerateObject().Count(p => p.NameEquals("stream_options")));
    }
}
