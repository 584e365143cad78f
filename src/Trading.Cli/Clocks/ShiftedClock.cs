namespace Trading.Cli.Clocks;

/// <summary>
/// A clock that starts at a chosen moment (<c>trading run --at</c>) and then runs at real speed, so a run "at 09:45 on
/// Monday" sees time pass normally while it works (retry delays, order polling).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly TimeSpan _shift;

    public ShiftedClock(TimeProvider inner, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _shift = start - inner.GetUtcNow();
    }

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow() + _shift;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
