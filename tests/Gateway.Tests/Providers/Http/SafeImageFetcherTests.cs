using System.Net;
using Gateway.Core.Errors;
using Gateway.Providers.Http;
using Gateway.Testing.Fakes;

namespace Gateway.Tests.Providers.Http;

/// <summary>The SSRF guard for URLs fetched on a caller's behalf.</summary>
public sealed class SafeImageFetcherTests
{
    /// <summary>Tests serve images from loopback, so they admit 127.0.0.1 and nothing else the default refuses.</summary>
    private static bool LoopbackForTests(IPAddress a) => a.Equals(IPAddress.Loopback) || AddressPolicy.IsPublic(a);

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void AddressPolicy_AllowsOnlyPublicUnicast(string address, bool allowed) =>
        Assert.Equal(allowed, AddressPolicy.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.5/image.png")]
    [InlineData("http://[::1]/image.png")]
    [InlineData("http://localhost/image.png")]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://example.com/a.png")]
    public async Task DefaultPolicy_RefusesInternalAndNonHttpUrls(string url)
    {
        using var fetcher = new SafeImageFetcher();
        var error = await Assert.ThrowsAsync<GatewayError>(() => fetcher.FetchAsync(url, "messages[0].content[1].image_url", CancellationToken.None));
        Assert.Equal((400, "messages[0].content[1].image_url"), (error.StatusCode, error.Param));
    }

    [Fact]
    public async Task DefaultPolicy_RefusesLoopbackServer_WithoutSendingItARequest()
    {
        await using var server = await FakeUpstream.StartAsync();
        using var fetcher = new SafeImageFetcher();
        await Assert.ThrowsAsync<GatewayError>(() => fetcher.FetchAsync(server.BaseUrl + "/cat.png", "p", CancellationToken.None));
        Assert.Equal(0, server.Calls);
    }

    [Fact]
    public async Task AllowedServer_ImageIsFetchedWithItsType()
    {
        await using var server = await FakeUpstream.StartAsync();
        server.Respond = _ => new FakeResponse { Body = "PNGBYTES", ContentType = "image/png" };
        using var fetcher = new SafeImageFetcher(LoopbackForTests);
        var (bytes, type) = await fetcher.FetchAsync(server.BaseUrl + "/cat.png", "p", CancellationToken.None);
        Assert.Equal(("PNGBYTES", "image/png"), (System.Text.Encoding.ASCII.GetString(bytes), type));
    }

    [Fact]
    public async Task RedirectToMetadataAddress_IsRefused()
    {
        await using var server = await FakeUpstream.StartAsync();
        server.Respond = _ => new FakeResponse { Status = 302 }.WithHeader("Location", "http://169.254.169.254/latest/meta-data/iam/");
        using var fetcher = new SafeImageFetcher(LoopbackForTests);
        var error = await Assert.ThrowsAsync<GatewayError>(() => fetcher.FetchAsync(server.BaseUrl + "/a.png", "p", CancellationToken.None));
        Assert.Contains("169.254.169.254", error.Message);
    }

    [Fact]
    public async Task NonImageOrOversizedBodies_AreRefused()
    {
        await using var server = await FakeUpstream.StartAsync();
        server.Respond = r => r.Path == "/page"
            ? new FakeResponse { Body = "<html/>", ContentType = "text/html" }
            : new FakeResponse { Body = new string('x', (int)SafeImageFetcher.MaxBytes + 10), ContentType = "image/jpeg" };
        using var fetcher = new SafeImageFetcher(LoopbackForTests);
        Assert.Contains("text/html", (await Assert.ThrowsAsync<GatewayError>(() => fetcher.FetchAsync(server.BaseUrl + "/page", "p", CancellationToken.None))).Message);
        Assert.Contains("5 MB", (await Assert.ThrowsAsync<GatewayError>(() => fetcher.FetchAsync(server.BaseUrl + "/big", "p", CancellationToken.None))).Message);
    }
}
