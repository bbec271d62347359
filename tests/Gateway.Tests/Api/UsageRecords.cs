using Gateway.Core.Storage;
using Gateway.Core.Usage;
using Gateway.Testing.Hosting;

namespace Gateway.Tests.Api;

internal static class UsageRecords
{
    public static async Task<IReadOnlyList<UsageRecord>> AllAsync(TestGateway gateway)
    {
        var page = await gateway.Service<IUsageStore>().QueryAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddMinutes(1), null, 1000, null, CancellationToken.None);
        return page.Records;
    }
}
