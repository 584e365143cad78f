namespace Trading.Cli.Clocks;

/// <summary>
/// A clock that runs at real speed from a chosen moment (<c>trading run --at</c>), so a run "at 09:45 on Monday" sees time
/// pass normally while it works (retry delays, order polling). Until <see cref="StartAt"/> it is the real time.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private readonly TimeProvider _inner;
    private long _shiftTicks;

    public ShiftedClock(TimeProvider inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>From now on the clock reads <paramref name="moment"/> plus the real time elapsed since this call.</summary>
    public void StartAt(DateTimeOffset moment) =>
        Interlocked.Exchange(ref _shiftTicks, (moment - _inner.GetUtcNow()).Ticks);

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow().AddTicks(Interlocked.Read(ref _shiftTicks));

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
