using Gateway.Api.Observability;
using Gateway.Core.Configuration;

namespace Gateway.Api.Hosting;

/// <summary>
/// Re-reads every <c>aws_secret/</c> value (provider keys, the master key) on a timer, so a rotated secret is picked
/// up without a redeploy. A failed read keeps the old value and is logged by secret id (never by value). On Lambda the
/// timer runs while the function is thawed, which is when requests need the keys.
/// </summary>
internal sealed class SecretRefresher(GatewayConfig config, ISecretResolver secrets, ILogger<SecretRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(config.SecretRefresh);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        foreach (var secret in config.RefreshableSecrets)
        {
            if (secret.Reference is null || !SecretValue.TryParseReference(secret.Reference, out var id, out var field))
                continue;
            try
            {
                if (secret.Update(await secrets.ResolveAsync(id, field, cancellationToken).ConfigureAwait(false)))
                    Log.SecretRotated(logger, secret.Reference);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SecretRefreshFailed(logger, secret.Reference, e.Message);
            }
        }
    }
}
