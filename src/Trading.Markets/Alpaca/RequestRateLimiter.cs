namespace Trading.Markets.Alpaca;

/// <summary>
/// A sliding one-minute window: at most <c>limit</c> requests start in any 60 seconds. A caller beyond that reserves the
/// earliest free slot and waits for it (on the <see cref="TimeProvider"/>), so concurrent callers queue fairly.
/// </summary>
public sealed class RequestRateLimiter
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly int _limit;
    private readonly TimeProvider _time;
    private readonly Queue<DateTimeOffset> _starts = new();
    private readonly Lock _gate = new();
    private long _waitedTicks;

    public RequestRateLimiter(int requestsPerMinute, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _limit = requestsPerMinute;
        _time = timeProvider;
    }

    /// <summary>Total time callers have been told to wait, for diagnostics and tests.</summary>
    public TimeSpan TotalWaited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    /// <summary>Waits until a request may start.</summary>
    public Task AcquireAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            while (_starts.Count > 0 && now - _starts.Peek() >= Window)
            {
                _starts.Dequeue();
            }

            // With the window full, the slot frees when the request `limit` places back leaves it.
            var start = _starts.Count < _limit ? now : _starts.ElementAt(_starts.Count - _limit) + Window;
            _starts.Enqueue(start);
            wait = start - now;
        }

        if (wait <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        Interlocked.Add(ref _waitedTicks, wait.Ticks);
        return Task.Delay(wait, _time, cancellationToken);
    }
}
