namespace Trading.Pipeline.Tests.Support;

/// <summary>A clock the test sets; timers still run on the system clock (retry delays are scaled to zero in tests).</summary>
public sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTime(DateTimeOffset now) => _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
