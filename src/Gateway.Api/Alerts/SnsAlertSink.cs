using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Gateway.Core.Alerts;

namespace Gateway.Api.Alerts;

/// <summary>
/// Publishes to an SNS topic through SNS's Query API (<c>Action=Publish</c>), signed with AWSSDK.Core's SigV4 handler as
/// the Bedrock provider does: no SNS SDK package is needed, and nothing is reflection-based, so Native AOT stays clean.
/// The region comes from the topic ARN; credentials from the default chain (the Lambda role) unless given.
/// </summary>
internal sealed class SnsAlertSink : IAlertSink, IDisposable
{
    private readonly string _topicArn;
    private readonly Uri _endpoint;
    private readonly Lazy<HttpClient> _client;

    public SnsAlertSink(string topicArn, string? endpoint = null, AWSCredentials? credentials = null)
    {
        _topicArn = topicArn;
        var region = RegionOf(topicArn);
        _endpoint = new Uri(endpoint ?? $"https://sns.{region}.amazonaws.com/");
        _client = new Lazy<HttpClient>(() => new HttpClient(new SigV4SigningHandler(
            credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null), RegionEndpoint.GetBySystemName(region), "sns",
            new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) }))
        {
            Timeout = TimeSpan.FromSeconds(15),
        });
    }

    public string Name => "sns";

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Action"] = "Publish",
            ["Version"] = "2010-03-31",
            ["TopicArn"] = _topicArn,
            ["Subject"] = Subject(alert.Title),
            ["Message"] = alert.Text,
        });
        using var response = await _client.Value.PostAsync(_endpoint, form, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"SNS Publish answered {(int)response.StatusCode}", null, response.StatusCode);
    }

    /// <summary>SNS subjects are at most 100 printable ASCII characters with no line breaks.</summary>
    internal static string Subject(string title)
    {
        var ascii = new string(title.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
        return ascii.Length <= 100 ? ascii : ascii[..100];
    }

    private static string RegionOf(string arn) =>
        arn.Split(':') is { Length: >= 6 } parts && parts[3].Length > 0 ? parts[3] : throw new ArgumentException("not an SNS topic ARN", nameof(arn));

    public void Dispose()
    {
        if (_client.IsValueCreated)
            _client.Value.Dispose();
    }
}
