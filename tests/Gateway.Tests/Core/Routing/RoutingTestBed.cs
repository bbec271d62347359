using System.Collections.Concurrent;
using Gateway.Core.Errors;
using Gateway.Core.Routing;
using Gateway.Core.Routing.Policies;

namespace Gateway.Tests.Core.Routing;

/// <summary>
/// A registry, picker and router over hand-built deployments, with a scripted upstream as the attempt:
/// it records each call by deployment id and answers with the deployment's id or throws its scripted error.
/// </summary>
internal sealed class RoutingTestBed
{
    private readonly ConcurrentDictionary<string, Func<int, GatewayError?>> _scripts = new();
    private readonly ConcurrentQueue<string> _calls = new();

    public RoutingTestBed(RouterSettings settings, TimeProvider? time, params Deployment[] deployments)
        : this(settings, new SimpleShufflePolicy(new Random(42)), time, deployments)
    {
    }

    public RoutingTestBed(RouterSettings settings, IRoutingPolicy policy, TimeProvider? time, params Deployment[] deployments)
    {
        Registry = new ModelRegistry(deployments);
        Picker = new DeploymentPicker(Registry, policy, time ?? TimeProvider.System);
        Router = new RequestRouter(Registry, Picker, settings);
    }

    public ModelRegistry Registry { get; }
    public DeploymentPicker Picker { get; }
    public RequestRouter Router { get; }
    public IReadOnlyList<string> Calls => _calls.ToList();

    public static Deployment Deployment(string id, string group, int? order = null, double? weight = null, int? rpm = null,
        int? tpm = null, TimeSpan? timeout = null) =>
        new() { Id = id, GroupName = group, Provider = "mock", ModelId = id, Order = order, Weight = weight, Rpm = rpm, Tpm = tpm, Timeout = timeout };

    public int CallsTo(string id) => _calls.Count(c => c == id);

    public DeploymentHealth Health(string id) => Picker.Health(Registry.Deployments.Single(d => d.Id == id));

    /// <summary>Every call to <paramref name="id"/> throws <paramref name="error"/>.</summary>
    public RoutingTestBed Fail(string id, GatewayError error) => Script(id, _ => error);

    /// <summary>The first <paramref name="times"/> calls to <paramref name="id"/> throw; later ones answer.</summary>
    public RoutingTestBed FailFirst(string id, int times, GatewayError error) => Script(id, n => n <= times ? error : null);

    public RoutingTestBed Script(string id, Func<int, GatewayError?> byCallNumber)
    {
        _scripts[id] = byCallNumber;
        return this;
    }

    public Task<string> RunAsync(RouteRequest request, RouteTrace? trace = null) =>
        Router.ExecuteAsync(request, trace ?? new RouteTrace(), Attempt, CancellationToken.None);

    public Task<string> RunAsync(string group) => RunAsync(new RouteRequest(group));

    private Task<string> Attempt(Deployment deployment, TimeSpan timeout, CancellationToken ct)
    {
        _calls.Enqueue(deployment.Id);
        var error = _scripts.TryGetValue(deployment.Id, out var script) ? script(CallsTo(deployment.Id)) : null;
        return error is null ? Task.FromResult($"{deployment.Id}|{timeout.TotalSeconds}") : Task.FromException<string>(error);
    }
}

/// <summary>Classified errors as providers raise them.</summary>
internal static class Upstream
{
    public static GatewayError ServerError() =>
        new(ErrorKind.UpstreamError, 502, "x", "api_error", isRetryable: true, allowsFallback: true);

    public static GatewayError Timeout() =>
        new(ErrorKind.UpstreamTimeout, 504, "x", "timeout_error", isRetryable: true, allowsFallback: true);

    public static GatewayError RateLimited(TimeSpan? retryAfter = null) =>
        new(ErrorKind.RateLimited, 429, "x", "rate_limit_error", isRetryable: true, allowsFallback: true, retryAfter: retryAfter);

    public static GatewayError Of(ErrorKind kind, int status) =>
        new(kind, status, "x", "api_error", isRetryable: status >= 429, allowsFallback: true);

    public static GatewayError BadRequest() => GatewayError.InvalidRequest("bad 'temperature'", "temperature");

    public static GatewayError ContextWindow() =>
        new(ErrorKind.ContextWindowExceeded, 400, "x", "invalid_request_error", "context_length_exceeded", allowsFallback: true);

    public static GatewayError ContentPolicy() =>
        new(ErrorKind.ContentPolicy, 400, "x", "invalid_request_error", "content_policy_violation", allowsFallback: true);
}
