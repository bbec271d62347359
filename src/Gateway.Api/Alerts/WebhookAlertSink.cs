using System.Buffers;
using System.Text.Json;
using Gateway.Core.Alerts;

namespace Gateway.Api.Alerts;

/// <summary>Posts Slack's incoming-webhook JSON (<c>{"text": ...}</c>), which Slack, Teams workflows, Mattermost and
/// most chat tools accept. A non-2xx answer is a failure (retried by <see cref="AlertNotifier"/>).</summary>
internal sealed class WebhookAlertSink(HttpClient http, Uri url) : IAlertSink
{
    public string Name => "webhook";

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(512);
        await using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("text", $"*{alert.Title}*\n{alert.Text}");
            w.WriteString("kind", alert.Kind);
            w.WriteEndObject();
        }
        using var content = new ByteArrayContent(body.WrittenMemory.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"webhook answered {(int)response.StatusCode}", null, response.StatusCode);
    }
}
