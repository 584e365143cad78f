namespace Trading.Cli.Tests.Support;

/// <summary>
/// A test clock whose timers fire only when the test steps it (kept rather than FakeTimeProvider, which cannot say when
/// its next timer is due): <see cref="StepToNextTimerAsync"/> moves to the earliest
/// pending timer and fires it, so concurrent waiters (the two schedules) see time in the right order.
/// </summary>
public sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<PendingTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new PendingTimer(this, callback, state);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (_timers)
            {
                timer.Due = _now + dueTime;
                _timers.Add(timer);
            }
        }

        return timer;
    }

    /// <summary>Waits (bounded) for a timer to be pending, moves the clock to the earliest one and fires it.</summary>
    public async Task<bool> StepToNextTimerAsync(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            PendingTimer? next;
            lock (_timers)
            {
                next = _timers.OrderBy(t => t.Due).FirstOrDefault();
                if (next is not null)
                {
                    _timers.Remove(next);
                    if (next.Due > _now)
                    {
                        _now = next.Due;
                    }
                }
            }

            if (next is not null)
            {
                next.Fire();
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }
    }

    private sealed class PendingTimer(SteppedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._timers)
            {
                clock._timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Due = clock._now + dueTime;
                    clock._timers.Add(this);
                }
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock._timers)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
