using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Core.Errors;
using Polly;
using Polly.Retry;

namespace Gateway.Core.Routing;

/// <summary>
/// Runs one request against its group and fallback chain. Within a group a Polly retry pipeline re-picks a
/// deployment per attempt (avoiding ones that already failed this request), backs off exponentially with jitter and
/// honours Retry-After; each failure feeds the deployment's cooldown. Decisions read only the classified error:
/// <see cref="GatewayError.IsRetryable"/> to retry, <see cref="GatewayError.AllowsFallback"/> to move down the chain.
/// </summary>
public sealed class RequestRouter(ModelRegistry registry, DeploymentPicker picker, RouterSettings settings)
{
    /// <summary>A Retry-After longer than this is not waited for; the request falls back instead.</summary>
    public static readonly TimeSpan MaxRetryAfterWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(600);

    private readonly ConcurrentDictionary<int, ResiliencePipeline> _pipelines = new();

    public async Task<T> ExecuteAsync<T>(RouteRequest request, RouteTrace trace,
        Func<Deployment, TimeSpan, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            if (request.MockTestingFallbacks)
                throw new GatewayError(ErrorKind.UpstreamError, 502, $"mock_testing_fallbacks: group '{request.Group}' was made to fail on purpose.",
                    "api_error", "mock_testing_fallbacks", allowsFallback: true);
            return await RunGroupAsync(request.Group, request, trace, attempt, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayError first) when (first.AllowsFallback)
        {
            var error = first;
            foreach (var group in FallbackChain(request, first.Kind))
            {
                trace.Fallbacks.Add(group);
                try
                {
                    return await RunGroupAsync(group, request, trace, attempt, cancellationToken).ConfigureAwait(false);
                }
                catch (GatewayError next) when (next.AllowsFallback)
                {
                    error = next;
                }
            }
            throw error;
        }
    }

    /// <summary>Context-window and content-policy errors take their own chains when configured; everything else takes
    /// the per-request list, else the group's <c>fallbacks</c>, else <c>default_fallbacks</c>.</summary>
    private IReadOnlyList<string> FallbackChain(RouteRequest request, ErrorKind kind)
    {
        var specific = kind switch
        {
            ErrorKind.ContextWindowExceeded => settings.ContextWindowFallbacks.GetValueOrDefault(request.Group),
            ErrorKind.ContentPolicy => settings.ContentPolicyFallbacks.GetValueOrDefault(request.Group),
            _ => null,
        };
        var chain = specific ?? request.Fallbacks ?? settings.Fallbacks.GetValueOrDefault(request.Group) ?? settings.DefaultFallbacks;
        return chain.Where(g => g != request.Group).Distinct().ToList();
    }

    private async Task<T> RunGroupAsync<T>(string groupName, RouteRequest request, RouteTrace trace,
        Func<Deployment, TimeSpan, CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        if (!registry.TryGetGroup(groupName, out var group))
            throw GatewayError.ModelNotFound(groupName);
        // Deployments whose context window cannot hold the prompt are skipped, never called; only when none fits does
        // the group fail with a context-window error (which takes the context-window fallbacks).
        if (request.ExceedsContextWindow is { } exceeds)
        {
            var fitting = group.Where(d => !exceeds(d)).ToList();
            if (fitting.Count == 0)
                throw new GatewayError(ErrorKind.ContextWindowExceeded, 400,
                    $"The prompt does not fit the context window of model '{groupName}'.", "invalid_request_error",
                    "context_length_exceeded", "messages", allowsFallback: true);
            group = fitting;
        }
        var failed = new HashSet<string>(StringComparer.Ordinal);
        GatewayError? last = null;
        var pipeline = Pipeline(request.NumRetries ?? settings.NumRetries);
        return await pipeline.ExecuteAsync(async ct =>
        {
            // A retry that finds every deployment cooling down reports the upstream's own error, not a vaguer 503.
            var health = picker.Pick(group, failed, request.EstimatedPromptTokens)
                         ?? await PickAfterShortCooldownAsync(group, failed, request, ct).ConfigureAwait(false)
                         ?? throw (last?.AsFinal() ?? NoneAvailable(groupName, group));
            var deployment = health.Deployment;
            trace.Attempts++;
            trace.Deployment = deployment;
            try
            {
                return await AttemptAsync(health, request, attempt, failed, ct).ConfigureAwait(false);
            }
            catch (GatewayError e)
            {
                last = e;
                throw;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A retry timed by Retry-After can wake a few milliseconds before the wall-clock cooldown the same
    /// Retry-After set; when the earliest cooldown ends that soon, wait for it rather than give up.</summary>
    private async Task<DeploymentHealth?> PickAfterShortCooldownAsync(IReadOnlyList<Deployment> group, HashSet<string> failed, RouteRequest request,
        CancellationToken ct)
    {
        var soonest = group.Select(d => picker.Health(d).CooldownUntil).Where(t => t is not null).Min();
        var wait = soonest is { } until ? until - picker.Now : TimeSpan.MaxValue;
        if (wait > ShortCooldownWait)
            return null;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait + TimeSpan.FromMilliseconds(5), ct).ConfigureAwait(false);
        return picker.Pick(group, failed, request.EstimatedPromptTokens);
    }

    private static readonly TimeSpan ShortCooldownWait = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryAfterMargin = TimeSpan.FromMilliseconds(50);

    private async Task<T> AttemptAsync<T>(DeploymentHealth health, RouteRequest request,
        Func<Deployment, TimeSpan, CancellationToken, Task<T>> attempt, HashSet<string> failed, CancellationToken ct)
    {
        var deployment = health.Deployment;
        var timeout = request.Timeout ?? deployment.Timeout ?? settings.Timeout ?? DefaultTimeout;
        health.Started(request.EstimatedPromptTokens);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await attempt(deployment, timeout, ct).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            health.Succeeded(elapsed, request.Stream ? elapsed : null);
            return result;
        }
        catch (GatewayError e) when (CountsAgainstDeployment(e))
        {
            failed.Add(deployment.Id);
            // A provider that says when to come back (Retry-After) is taken at its word for the cooldown.
            // It ends a little before the Retry-After, so the retry that waits the full Retry-After always finds it
            // available even when timers and the wall clock disagree by a few milliseconds.
            health.Failed(CoolsDownAtOnce(e), settings.AllowedFails,
                e is { Kind: ErrorKind.RateLimited, RetryAfter: { } wait } ? TimeSpan.FromTicks(Math.Max(0, (wait - RetryAfterMargin).Ticks)) : settings.CooldownTime);
            throw;
        }
        catch
        {
            health.Abandoned();
            throw;
        }
    }

    private ResiliencePipeline Pipeline(int retries) => _pipelines.GetOrAdd(retries, n =>
    {
        var cap = Math.Max(n, settings.RetryPolicy.Values.DefaultIfEmpty(0).Max());
        return cap <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = cap,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.AttemptNumber, n)),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is GatewayError { RetryAfter: { } wait } ? (TimeSpan?)wait : null),
        }).Build();
    });

    private bool ShouldRetry(Exception? exception, int attemptNumber, int retries) =>
        exception is GatewayError { IsRetryable: true } error &&
        attemptNumber < (settings.RetryPolicy.TryGetValue(error.Kind, out var forKind) ? forKind : retries) &&
        (error.RetryAfter is null || error.RetryAfter <= MaxRetryAfterWait);

    /// <summary>Bad input and prompt-specific refusals say nothing about the deployment's health.</summary>
    private static bool CountsAgainstDeployment(GatewayError e) =>
        (e.IsRetryable || e.AllowsFallback) && e.Kind is not (ErrorKind.ContextWindowExceeded or ErrorKind.ContentPolicy);

    /// <summary>429, 401/403 and 404 mean the deployment will not do better soon: cool it down on the first one.</summary>
    private static bool CoolsDownAtOnce(GatewayError e) =>
        e.Kind is ErrorKind.RateLimited or ErrorKind.UpstreamAuthentication or ErrorKind.NotFound;

    private GatewayError NoneAvailable(string groupName, IReadOnlyList<Deployment> group)
    {
        var soonest = group.Select(d => picker.Health(d).CooldownUntil).Where(t => t is not null).Min();
        var wait = soonest is { } until ? until - picker.Now : (TimeSpan?)null;
        return new GatewayError(ErrorKind.UpstreamUnavailable, 503,
            $"No deployment of model '{groupName}' is available right now (cooling down or at its rate limit).",
            "api_error", "no_deployment_available", allowsFallback: true, retryAfter: wait is { } w && w > TimeSpan.Zero ? w : null);
    }
}
