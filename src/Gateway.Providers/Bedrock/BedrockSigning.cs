using System.Collections.Concurrent;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Gateway.Core.Routing;

namespace Gateway.Providers.Bedrock;

/// <summary>
/// One signing HttpClient per (region, credentials): AWSSDK.Core's SigV4 handler (service <c>bedrock</c>) wraps a pooled
/// socket handler, so every attempt, retries included, is signed afresh. Credentials come from the deployment's
/// <c>aws_access_key_id</c>/<c>aws_secret_access_key</c>/<c>aws_session_token</c>, else the default chain (resolved
/// on first use, so nothing touches AWS at startup).
/// </summary>
internal sealed class BedrockSigning : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    public static string Region(Deployment deployment) =>
        deployment.Param("aws_region_name") ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";

    public HttpClient ClientFor(Deployment deployment)
    {
        var region = Region(deployment);
        var accessKey = deployment.Param("aws_access_key_id");
        return _clients.GetOrAdd($"{region}|{accessKey ?? "default"}", _ =>
        {
            var credentials = accessKey is null
                ? DefaultAWSCredentialsIdentityResolver.GetCredentials(null)
                : deployment.Param("aws_session_token") is { } token
                    ? new SessionAWSCredentials(accessKey, deployment.Param("aws_secret_access_key"), token)
                    : new BasicAWSCredentials(accessKey, deployment.Param("aws_secret_access_key"));
            var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };
            return new HttpClient(new SigV4SigningHandler(credentials, RegionEndpoint.GetBySystemName(region), "bedrock", handler))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        });
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
    }
}
