using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Gateway.Core.Configuration;

namespace Gateway.Storage.Secrets;

/// <summary>
/// Reads Secrets Manager secrets through SSM's <c>GetParameter</c> on <c>/aws/reference/secretsmanager/&lt;id&gt;</c>
/// (AWSSDK.SecretsManager is not available to us; SSM's reference path returns the same secret string, decrypted).
/// <c>#field</c> picks one field of a JSON secret. Values are never logged or put in error messages.
/// </summary>
public sealed class SsmSecretResolver(IAmazonSimpleSystemsManagement ssm) : ISecretResolver, IDisposable
{
    public const string ReferencePrefix = "/aws/reference/secretsmanager/";

    /// <summary>The default credential chain and region (<c>AWS_REGION</c>); <c>GATEWAY_SSM_ENDPOINT</c> points it
    /// at a stand-in (moto_server) for tests.</summary>
    public static SsmSecretResolver Create(Func<string, string?> environment, AWSCredentials? credentials = null)
    {
        var region = environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION") ?? "us-east-1";
        var config = new AmazonSimpleSystemsManagementConfig { RetryMode = RequestRetryMode.Standard, MaxErrorRetry = 3, Timeout = TimeSpan.FromSeconds(5) };
        if (environment("GATEWAY_SSM_ENDPOINT") is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return new SsmSecretResolver(credentials is null ? new AmazonSimpleSystemsManagementClient(config) : new AmazonSimpleSystemsManagementClient(credentials, config));
    }

    public async Task<string> ResolveAsync(string secretId, string? jsonField, CancellationToken cancellationToken)
    {
        string value;
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = ReferencePrefix + secretId, WithDecryption = true }, cancellationToken)
                .ConfigureAwait(false);
            value = response.Parameter.Value;
        }
        catch (AmazonServiceException e)
        {
            throw new InvalidOperationException(
                $"aws_secret/{secretId} could not be read via SSM {ReferencePrefix}{secretId} ({e.ErrorCode ?? e.StatusCode.ToString()}); " +
                "the function needs ssm:GetParameter on that parameter and secretsmanager:GetSecretValue on the secret");
        }
        return jsonField is null ? value : Field(value, secretId, jsonField);
    }

    private static string Field(string secret, string secretId, string field)
    {
        try
        {
            using var doc = JsonDocument.Parse(secret);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String)
                return v.GetString()!;
        }
        catch (JsonException)
        {
            throw new InvalidOperationException($"aws_secret/{secretId}#{field}: the secret is not a JSON object");
        }
        throw new InvalidOperationException($"aws_secret/{secretId}#{field}: the secret has no string field '{field}'");
    }

    public void Dispose() => ssm.Dispose();
}
