namespace Trading.Gateway.Calls;

/// <summary>State of a model's circuit.</summary>
public enum CircuitState
{
    /// <summary>Calls flow.</summary>
    Closed,

    /// <summary>Calls are refused until the cooldown ends.</summary>
    Open,

    /// <summary>One trial call is allowed; success closes, failure reopens.</summary>
    HalfOpen,
}

/// <summary>
/// Per-model circuit breaker: opens after <c>threshold</c> model failures within <c>window</c>, lets one trial through after
/// <c>cooldown</c>. Thread-safe; time from <see cref="TimeProvider"/>.
/// </summary>
public sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _failures = new();
    private readonly int _threshold;
    private readonly TimeSpan _window;
    private readonly TimeSpan _cooldown;
    private readonly TimeProvider _time;
    private DateTimeOffset _openedAt;
    private volatile CircuitState _state = CircuitState.Closed;
    private bool _trialInFlight;

    /// <summary>Creates a closed breaker.</summary>
    public CircuitBreaker(int threshold, TimeSpan window, TimeSpan cooldown, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _threshold = threshold;
        _window = window;
        _cooldown = cooldown;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The current state (Open turns HalfOpen once the cooldown has passed).</summary>
    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                Advance();
                return _state;
            }
        }
    }

    /// <summary>Whether a call may go now; in half-open state only one trial at a time.</summary>
    public bool TryAcquire()
    {
        // Closed is the usual state, and only a failure (under the lock) leaves it: no lock needed to let a call through.
        if (_state == CircuitState.Closed)
            return true;
        lock (_gate)
        {
            Advance();
            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.HalfOpen when !_trialInFlight:
                    _trialInFlight = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>A call succeeded: closes the circuit.</summary>
    public void RecordSuccess()
    {
        // A stale count read without the lock at worst skips one reset; the next success or the window clears it.
        if (_state == CircuitState.Closed && _failures.Count == 0)
            return; // nothing to reset
        lock (_gate)
        {
            _state = CircuitState.Closed;
            _trialInFlight = false;
            _failures.Clear();
        }
    }

    /// <summary>A call failed in a way that counts against the model.</summary>
    public void RecordFailure()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_state == CircuitState.HalfOpen)
            {
                Open(now);
                return;
            }

            _failures.Enqueue(now);
            while (_failures.Count > 0 && now - _failures.Peek() > _window)
                _failures.Dequeue();
            if (_failures.Count >= _threshold)
                Open(now);
        }
    }

    /// <summary>A call ended without telling us about the model (e.g. our request was wrong): frees a half-open trial.</summary>
    public void RecordNeutral()
    {
        lock (_gate)
            _trialInFlight = false;
    }

    private void Open(DateTimeOffset now)
    {
        _state = CircuitState.Open;
        _openedAt = now;
        _trialInFlight = false;
        _failures.Clear();
    }

    private void Advance()
    {
        if (_state == CircuitState.Open && _time.GetUtcNow() - _openedAt >= _cooldown)
        {
            _state = CircuitState.HalfOpen;
            _trialInFlight = false;
        }
    }
}
