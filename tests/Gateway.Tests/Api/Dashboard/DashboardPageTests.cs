using Gateway.Testing.Hosting;
using Gateway.Tests.Api.Reports;

namespace Gateway.Tests.Api.Dashboard;

public sealed class DashboardPageTests
{
    [Fact]
    public async Task Ui_IsServedWithoutAKey_SelfContained_UnderAStrictContentSecurityPolicy()
    {
        await using var gateway = await TestGateway.StartAsync(ReportFixtures.Config());
        using var response = await gateway.Http.GetAsync("/ui");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.Contains($"script-src '{Gateway.Api.Dashboard.DashboardEndpoint.ScriptHash(html)}'", csp);
        Assert.DoesNotContain("script-src 'unsafe-inline'", csp);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.DoesNotContain("@import", html);
        Assert.Contains("\"Authorization\": \"Bearer \" + key", html);
    }
}
