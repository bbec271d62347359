namespace Gateway.Tests.Core.Routing;

/// <summary>A clock that moves only when a test says so, for cooldown and rpm-window tests
/// (Microsoft.Extensions.TimeProvider.Testing is not available to this build).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
