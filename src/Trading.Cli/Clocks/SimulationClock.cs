namespace Trading.Cli.Clocks;

/// <summary>
/// The backtest's clock: time stands still until the backtest moves it to the next slot. Delays and timers complete
/// immediately (a retry delay in a simulated day costs no real time), which keeps a year of trading days fast.
/// </summary>
public sealed class SimulationClock : TimeProvider
{
    private long _utcTicks;

    public SimulationClock(DateTimeOffset start)
    {
        _utcTicks = start.UtcTicks;
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock to <paramref name="utc"/>; never backwards.</summary>
    public void MoveTo(DateTimeOffset utc)
    {
        if (utc.UtcTicks < Interlocked.Read(ref _utcTicks))
        {
            throw new ArgumentOutOfRangeException(nameof(utc), utc, "The simulation clock never goes backwards.");
        }

        Interlocked.Exchange(ref _utcTicks, utc.UtcTicks);
    }

    /// <summary>A timer that fires at once (and once, whatever its period): simulated waits take no real time.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _utcTicks, Math.Max(0, dueTime.Ticks));
            ThreadPool.UnsafeQueueUserWorkItem(_ => callback(state), null);
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
