using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Testing.Fakes;

/// <summary>
/// An in-process HTTP server on 127.0.0.1 and a free port that answers as a provider would. Each test sets
/// <see cref="Respond"/>; every request is recorded, and requests whose client went away are counted.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;
    private int _aborted;

    private FakeUpstream(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public int Calls => Volatile.Read(ref _calls);
    /// <summary>Requests whose connection the gateway closed before the fake finished answering.</summary>
    public int AbortedRequests => Volatile.Read(ref _aborted);
    public Func<RecordedRequest, FakeResponse> Respond { get; set; } = _ => FakeResponse.Json(OpenAIWire.Completion("ok"));

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeUpstream(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _calls);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var recorded = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body.ToArray());
        Requests.Enqueue(recorded);
        var reply = Respond(recorded);
        try
        {
            await WriteAsync(context, reply);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _aborted);
        }
        catch (IOException)
        {
            Interlocked.Increment(ref _aborted);
        }
    }

    private static async Task WriteAsync(HttpContext context, FakeResponse reply)
    {
        var ct = context.RequestAborted;
        if (reply.DelayBeforeHeaders > TimeSpan.Zero)
            await Task.Delay(reply.DelayBeforeHeaders, ct);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = reply.ContentType;
        foreach (var (k, v) in reply.Headers)
            context.Response.Headers[k] = v;
        if (reply.Chunks is null && reply.RawParts is null)
        {
            await context.Response.WriteAsync(reply.Body ?? "", ct);
            return;
        }
        await context.Response.StartAsync(ct);
        var sent = 0;
        foreach (var chunk in reply.Chunks ?? [])
        {
            if (reply.AbortAfterChunks == sent)
            {
                await AbortAsync(context);
                return;
            }
            if (chunk.DelayBefore > TimeSpan.Zero)
                await Task.Delay(chunk.DelayBefore, ct);
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"data: {chunk.Data}\n\n"), ct);
            await context.Response.Body.FlushAsync(ct);
            sent++;
        }
        foreach (var (bytes, delay) in reply.RawParts ?? [])
        {
            if (delay > TimeSpan.Zero)
                await Task.Delay(delay, ct);
            await context.Response.Body.WriteAsync(bytes, ct);
            await context.Response.Body.FlushAsync(ct);
        }
        if (reply.AbortAfterChunks == sent)
        {
            await AbortAsync(context);
            return;
        }
        if (reply.SendDone && reply.Chunks is not null)
            await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), ct);
    }

    /// <summary>Resets the connection after a pause, so bytes already flushed reach the reader before the reset does.</summary>
    private static async Task AbortAsync(HttpContext context)
    {
        await Task.Delay(200);
        context.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
