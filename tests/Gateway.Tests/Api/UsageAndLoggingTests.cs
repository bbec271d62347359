using Gateway.Testing.Fakes;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

/// <summary>Every accepted request leaves a usage record and one log line; neither holds a key or prompt text.</summary>
public sealed class UsageAndLoggingTests
{
    private const string SecretPrompt = "my-secret-prompt-text-42";

    [Fact]
    public async Task SuccessAndFailure_EachLeaveOneUsageRecord()
    {
        await using var fake = await FakeUpstream.StartAsync();
        var calls = 0;
        fake.Respond = _ => Interlocked.Increment(ref calls) == 1
            ? FakeResponse.Json(OpenAIWire.Completion("ok", prompt: 30, completion: 7, cached: 20))
            : FakeResponse.Error(500, "boom");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));

        using var ok = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var failed = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"));
        using var unknownModel = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("nope"));
        using var unauthenticated = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("gpt-4o-mini"), key: null);

        // By request id, not timestamp: two records written in the same millisecond have no order.
        var all = await UsageRecords.AllAsync(gateway);
        Assert.Equal(3, all.Count);
        var records = new[] { ok, failed, unknownModel }.Select(r => all.Single(x => x.RequestId == r.Headers.GetValues("x-request-id").Single())).ToList();
        Assert.Equal(("success", 200, 30L, 7L, 20L), (records[0].Status, records[0].HttpStatus, records[0].PromptTokens, records[0].CompletionTokens, records[0].CachedReadTokens));
        Assert.Equal("master", records[0].KeyId);
        Assert.Equal("openai", records[0].Provider);
        Assert.Equal("gpt-4o-mini-2024-07-18", records[0].ProviderModel);
        Assert.Equal(("failure", 502), (records[1].Status, records[1].HttpStatus));
        Assert.Equal(("failure", 404, "nope"), (records[2].Status, records[2].HttpStatus, records[2].RequestedModel));
        Assert.Equal(ok.Headers.GetValues("x-request-id").Single(), records[0].RequestId);
    }

    [Fact]
    public async Task Logs_HoldOneLinePerRequest_AndNoKeysOrPrompts()
    {
        await using var fake = await FakeUpstream.StartAsync();
        fake.Respond = _ => FakeResponse.Error(401, "Incorrect API key provided: sk-upstream-secret-abcdefghijklmnop");
        await using var gateway = await TestGateway.StartAsync(Configs.OpenAIAt(fake.BaseUrl));
        var body = GatewayCalls.Chat("gpt-4o-mini").Replace("Say hello", SecretPrompt);

        using var withMaster = await GatewayCalls.PostChatAsync(gateway, body);
        using var withWrongKey = await GatewayCalls.PostChatAsync(gateway, body, key: "sk-wrong-presented-key-999");
        using var mock = await GatewayCalls.PostChatAsync(gateway, GatewayCalls.Chat("mock-gpt").Replace("Say hello", SecretPrompt));

        // The request's log line is written as the response completes, which can be just after the client has it.
        await Eventually.TrueAsync(() => gateway.Logs.Lines.Count(l => l.Contains("POST /v1/chat/completions")) >= 3, "request log lines missing");
        var logs = gateway.Logs.All;
        Assert.DoesNotContain(SecretPrompt, logs);
        Assert.DoesNotContain("sk-upstream-secret", logs);
        Assert.DoesNotContain(Configs.MasterKey, logs);
        Assert.DoesNotContain("sk-wrong-presented-key", logs);
        var requestLines = gateway.Logs.Lines.Where(l => l.Contains("POST /v1/chat/completions")).ToList();
        Assert.Equal(3, requestLines.Count);
        Assert.Contains(requestLines, l => l.Contains(withMaster.Headers.GetValues("x-request-id").Single()));
    }
}
