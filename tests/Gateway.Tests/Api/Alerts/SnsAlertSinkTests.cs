using Amazon;
using Amazon.Runtime.Signing;
using Gateway.Api.Alerts;
using Gateway.Core.Alerts;
using Gateway.Core.Storage;
using Gateway.Testing.Fakes;
using Gateway.Testing.Moto;
using Gateway.Tests.Storage.Contract;

namespace Gateway.Tests.Api.Alerts;

/// <summary>The SNS sink speaks SNS's Query API, signed: moto_server accepts the Publish and delivers it to an HTTP subscriber.</summary>
public sealed class SnsAlertSinkTests(MotoFixture moto) : IClassFixture<MotoFixture>
{
    private static readonly Alert Sample = new(AlertKinds.SoftBudget, "Soft budget crossed: team 'research' – 90%", "team 'research' has spent $9.00",
        new MeterKey("team:research", "alert:soft_budget", "m2026-11"), DateTimeOffset.UtcNow.AddDays(1));

    private async Task<string> CallAsync(Dictionary<string, string> form)
    {
        using var http = new HttpClient(new SigV4SigningHandler(MotoServer.Credentials, RegionEndpoint.USEast1, "sns", new SocketsHttpHandler()));
        form["Version"] = "2010-03-31";
        using var response = await http.PostAsync(moto.Server.Endpoint + "/", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body;
    }

    [Fact]
    public async Task Publish_ReachesTheTopicsSubscribers()
    {
        if (!moto.Server.Available) return;
        var created = await CallAsync(new() { ["Action"] = "CreateTopic", ["Name"] = "gateway-alerts-" + Guid.NewGuid().ToString("N")[..8] });
        var arn = System.Text.RegularExpressions.Regex.Match(created, "<TopicArn>(.*?)</TopicArn>").Groups[1].Value;
        await using var subscriber = await FakeUpstream.StartAsync();
        subscriber.Respond = _ => FakeResponse.Json("{}");
        await CallAsync(new() { ["Action"] = "Subscribe", ["TopicArn"] = arn, ["Protocol"] = "http", ["Endpoint"] = subscriber.BaseUrl + "/sns" });
        using var sink = new SnsAlertSink(arn, moto.Server.Endpoint + "/", MotoServer.Credentials);
        await sink.SendAsync(Sample, CancellationToken.None);
        var notification = subscriber.Requests.Select(r => r.Json).Single(j => j?["Type"]?.GetValue<string>() == "Notification")!;
        Assert.Equal("team 'research' has spent $9.00", notification["Message"]!.GetValue<string>());
        Assert.Equal("Soft budget crossed: team 'research' ? 90%", notification["Subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task Publish_ToAMissingTopic_Throws_SoTheNotifierRetries()
    {
        if (!moto.Server.Available) return;
        using var sink = new SnsAlertSink("arn:aws:sns:us-east-1:123456789012:no-such-topic", moto.Server.Endpoint + "/", MotoServer.Credentials);
        await Assert.ThrowsAsync<HttpRequestException>(() => sink.SendAsync(Sample, CancellationToken.None));
    }
}
