using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing.Fakes;
using Gateway.Testing.Fakes.Anthropic;
using Gateway.Testing.Fakes.Bedrock;
using Gateway.Testing.Hosting;
using ES = Gateway.Testing.Fakes.Bedrock.BedrockEventStream;

namespace Gateway.Tests.Hardening;

/// <summary>
/// Random mutations of valid, feature-rich requests (structural: a value replaced by another type, removed, nested,
/// huge; and byte-level: flips, cuts, insertions), sent to the mock, an Anthropic and a Bedrock deployment whose fakes
/// always answer well. Every answer must be below 500: a 5xx here could only be the gateway's own failure to map
/// or validate. The seed is fixed so a failure reproduces; FUZZ_ITERATIONS raises the count for a longer run.
/// </summary>
public sealed class RequestFuzzTests
{
    private static readonly string[] Seeds =
    [
        """
        {"model":"M","messages":[{"role":"system","content":"Be brief."},
         {"role":"user","content":[{"type":"text","text":"What is in this image?","cache_control":{"type":"ephemeral"}},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"look","arguments":"{\"q\":1}"}}]},
         {"role":"tool","tool_call_id":"call_1","content":"a cat"},
         {"role":"user","content":"and then?"}],
         "tools":[{"type":"function","function":{"name":"look","description":"Look","parameters":{"type":"object","properties":{"q":{"type":"integer"}}}}}],
         "tool_choice":"auto","temperature":0.5,"top_p":0.9,"max_tokens":64,"stop":["END"],"n":1}
        """,
        """{"model":"M","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"developer","content":"x"},{"role":"user","content":"hi"}],"max_completion_tokens":50,"reasoning_effort":"low","metadata":{"tags":["a"]},"cache":{"no-cache":true}}""",
        """{"model":"M","messages":[{"role":"user","content":"json please"}],"response_format":{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"a":{"type":"string"}}}}},"tool_choice":{"type":"function","function":{"name":"x"}},"tools":[{"type":"function","function":{"name":"x"}}]}""",
    ];

    [Fact]
    public async Task MutatedRequests_NeverGetA5xx()
    {
        await using var anthropic = await FakeAnthropic.StartAsync(r => r.Json?["stream"]?.GetValue<bool>() == true
            ? AnthropicWire.TextStream(10, 3, "ok", "!")
            : FakeResponse.Json(AnthropicWire.Message("ok")));
        await using var bedrock = await FakeUpstream.StartAsync();
        bedrock.Respond = FakeBedrock.Signed(r => r.Path.EndsWith("/converse-stream", StringComparison.Ordinal)
            ? ES.Response(ES.TextAnswer(10, 2, "ok"))
            : FakeResponse.Json(BedrockWire.Converse("ok")));
        var config = FakeAnthropic.Config(anthropic.BaseUrl, extraParams: $"""
              - model_name: mock
                litellm_params:
                  model: mock/gpt
              - model_name: bedrock
                litellm_params:
                  model: bedrock/anthropic.claude-3-5-haiku-20241022-v1:0
                  api_base: {bedrock.BaseUrl}
                  aws_region_name: us-east-1
                  aws_access_key_id: AKIDEXAMPLE
                  aws_secret_access_key: secret
            """).Replace("general_settings:", "litellm_settings:\n  drop_params: true\ngeneral_settings:");
        await using var gateway = await TestGateway.StartAsync(config.Replace("model_list:\n", "model_list:\n", StringComparison.Ordinal));

        var iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), out var n) ? n : 200;
        var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : 20261129);
        var failures = new List<string>();
        foreach (var model in new[] { "mock", "claude", "bedrock" })
            for (var i = 0; i < iterations; i++)
            {
                var body = Mutate(Seeds[random.Next(Seeds.Length)].Replace("\"M\"", $"\"{model}\""), random);
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Configs.MasterKey);
                using var response = await gateway.Http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500 || text.Contains("\"code\":\"internal_error\"", StringComparison.Ordinal))
                    failures.Add($"{model} #{i}: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}\n  body: {body}\n  log: " +
                                 (gateway.Logs.Lines.LastOrDefault(l => l.Contains("unexpected", StringComparison.Ordinal)) ?? "")[..]);
            }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
        using var health = await gateway.Http.GetAsync("/health/liveliness");
        Assert.Equal(200, (int)health.StatusCode);
    }

    private static string Mutate(string json, Random random)
    {
        if (random.Next(4) == 0)
            return MutateBytes(json, random);
        var root = JsonNode.Parse(json)!;
        for (var k = random.Next(1, 4); k > 0; k--)
            MutateNode(root, random);
        return root.ToJsonString();
    }

    private static void MutateNode(JsonNode root, Random random)
    {
        var nodes = new List<(JsonNode Parent, object Slot)>();
        Collect(root, nodes);
        if (nodes.Count == 0)
            return;
        var (parent, slot) = nodes[random.Next(nodes.Count)];
        var replacement = random.Next(10) switch
        {
            0 => null,
            1 => JsonValue.Create(random.Next(2) == 0 ? -1 : int.MaxValue),
            2 => JsonValue.Create(1e300),
            3 => JsonValue.Create(new string('z', random.Next(0, 3000))),
            4 => new JsonArray(),
            5 => new JsonObject(),
            6 => JsonValue.Create(random.Next(2) == 0),
            7 => new JsonArray(JsonValue.Create("x"), null, new JsonObject()),
            8 => JsonValue.Create(""),
            _ => (JsonNode?)"__remove__",
        };
        if (parent is JsonObject obj && slot is string name)
        {
            if (replacement is JsonValue v && v.TryGetValue<string>(out var s) && s == "__remove__")
                obj.Remove(name);
            else
                obj[name] = replacement;
        }
        else if (parent is JsonArray array && slot is int index)
        {
            if (replacement is JsonValue v && v.TryGetValue<string>(out var s) && s == "__remove__")
                array.RemoveAt(index);
            else
                array[index] = replacement;
        }
    }

    private static void Collect(JsonNode? node, List<(JsonNode, object)> slots)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    slots.Add((obj, name));
                    Collect(child, slots);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    Collect(array[i], slots);
                }
                break;
        }
    }

    private const string Noise = "{}[]\",:0-e\\\u0000\u00ff";

    private static string MutateBytes(string json, Random random)
    {
        var chars = json.ToCharArray().ToList();
        for (var k = random.Next(1, 6); k > 0 && chars.Count > 0; k--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0: chars[at] = Noise[random.Next(Noise.Length)]; break;
                case 1: chars.RemoveRange(at, Math.Min(random.Next(1, 20), chars.Count - at)); break;
                default: chars.InsertRange(at, "\"\\u00".ToCharArray()); break;
            }
        }
        return new string(chars.ToArray());
    }
}
