namespace Gateway.Core.Routing;

/// <summary>
/// What this instance has seen of one deployment: requests in flight, smoothed latency and time to first token,
/// failures and requests in the last minute, and whether it is cooling down. Lock-free reads on the hot path;
/// the minute windows take a short lock only when they change.
/// </summary>
public sealed class DeploymentHealth(Deployment deployment, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Queue<long> _failures = new();
    private readonly Queue<(long At, long Tokens)> _requests = new();
    private int _inFlight;
    private long _cooldownUntilTicks;
    private readonly RecentSamples _latency = new();
    private readonly RecentSamples _ttft = new();
    private long _successes;
    private long _errors;

    public Deployment Deployment { get; } = deployment;
    public int InFlight => Volatile.Read(ref _inFlight);
    /// <summary>Recent latency: the lower median of the last 8 samples, so one outlier (a cold start) is forgotten at once.</summary>
    public double LatencyMs => _latency.LowerMedian;
    public double TimeToFirstTokenMs => _ttft.LowerMedian;
    public DateTimeOffset? CooldownUntil
    {
        get
        {
            var ticks = Volatile.Read(ref _cooldownUntilTicks);
            return ticks > time.GetUtcNow().UtcTicks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
        }
    }

    public bool IsCoolingDown => Volatile.Read(ref _cooldownUntilTicks) > time.GetUtcNow().UtcTicks;

    public (long Requests, long Tokens) LastMinute()
    {
        lock (_requests)
        {
            Trim(_requests);
            return (_requests.Count, _requests.Sum(r => r.Tokens));
        }
    }

    /// <summary>Whether another request fits this deployment's own rpm/tpm in the current minute.</summary>
    public bool HasHeadroom(long estimatedTokens)
    {
        if (Deployment.Rpm is null && Deployment.Tpm is null)
            return true;
        var (requests, tokens) = LastMinute();
        return (Deployment.Rpm is not { } rpm || requests < rpm) && (Deployment.Tpm is not { } tpm || tokens + estimatedTokens <= tpm);
    }

    public double ErrorRate
    {
        get
        {
            var s = Interlocked.Read(ref _successes);
            var e = Interlocked.Read(ref _errors);
            return s + e == 0 ? 0 : (double)e / (s + e);
        }
    }

    public void Started(long estimatedTokens)
    {
        Interlocked.Increment(ref _inFlight);
        lock (_requests)
            _requests.Enqueue((time.GetUtcNow().UtcTicks, estimatedTokens));
    }

    public void Succeeded(TimeSpan latency, TimeSpan? timeToFirstToken)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _successes);
        _latency.Add(latency.TotalMilliseconds);
        if (timeToFirstToken is { } ttft)
            _ttft.Add(ttft.TotalMilliseconds);
    }

    /// <summary>Counts a failure; cools the deployment down at once for <paramref name="immediate"/> errors,
    /// else when failures within a minute exceed <paramref name="allowedFails"/>.</summary>
    public void Failed(bool immediate, int allowedFails, TimeSpan cooldown)
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _errors);
        var now = time.GetUtcNow().UtcTicks;
        int recent;
        lock (_failures)
        {
            _failures.Enqueue(now);
            while (_failures.Count > 0 && _failures.Peek() < now - Window.Ticks)
                _failures.Dequeue();
            recent = _failures.Count;
            if (immediate || recent > allowedFails)
                _failures.Clear();
        }
        if (immediate || recent > allowedFails)
            Volatile.Write(ref _cooldownUntilTicks, now + cooldown.Ticks);
    }

    /// <summary>Ends an attempt that neither succeeded nor failed on the deployment's account (the client left).</summary>
    public void Abandoned() => Interlocked.Decrement(ref _inFlight);

    private void Trim(Queue<(long At, long Tokens)> queue)
    {
        var cutoff = time.GetUtcNow().UtcTicks - Window.Ticks;
        while (queue.Count > 0 && queue.Peek().At < cutoff)
            queue.Dequeue();
    }

    /// <summary>The last few samples in a ring; readers take the lower median.</summary>
    private sealed class RecentSamples
    {
        private readonly double[] _ring = new double[8];
        private int _count;
        private int _next;

        public void Add(double sample)
        {
            lock (_ring)
            {
                _ring[_next] = sample;
                _next = (_next + 1) % _ring.Length;
                _count = Math.Min(_count + 1, _ring.Length);
            }
        }

        public double LowerMedian
        {
            get
            {
                Span<double> copy = stackalloc double[8];
                int count;
                lock (_ring)
                {
                    count = _count;
                    _ring.AsSpan(0, count).CopyTo(copy);
                }
                if (count == 0)
                    return double.NaN;
                copy[..count].Sort();
                return copy[(count - 1) / 2];
            }
        }
    }
}
