using Trading.Gateway.Calls;
using Trading.Gateway.Tests.Support;

namespace Trading.Gateway.Tests;

public sealed class CircuitBreakerTests
{
    [Fact]
    public void Opens_after_threshold_within_window_half_opens_after_cooldown_and_closes_on_success()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var b = new CircuitBreaker(3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), time);

        b.RecordFailure();
        b.RecordFailure();
        time.Advance(TimeSpan.FromSeconds(61)); // the first two fall out of the window
        b.RecordFailure();
        Assert.Equal(CircuitState.Closed, b.State);
        b.RecordFailure();
        b.RecordFailure();
        Assert.Equal(CircuitState.Open, b.State);
        Assert.False(b.TryAcquire());

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(CircuitState.HalfOpen, b.State);
        Assert.True(b.TryAcquire());
        Assert.False(b.TryAcquire()); // one trial at a time
        b.RecordFailure();
        Assert.Equal(CircuitState.Open, b.State);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(b.TryAcquire());
        b.RecordSuccess();
        Assert.Equal(CircuitState.Closed, b.State);
        Assert.True(b.TryAcquire());
    }

    [Theory]
    [InlineData(FailureClass.RateLimited, true, false)]
    [InlineData(FailureClass.ServerError, true, false)]
    [InlineData(FailureClass.Timeout, true, false)]
    [InlineData(FailureClass.Connection, true, false)]
    [InlineData(FailureClass.ContextLength, false, false)]
    [InlineData(FailureClass.Unauthorized, false, true)]
    [InlineData(FailureClass.Forbidden, false, true)]
    [InlineData(FailureClass.InvalidRequest, false, true)]
    public void Failure_classes_decide_retry_and_stop(FailureClass c, bool retry, bool fatal)
    {
        Assert.Equal(retry, c.IsRetryable());
        Assert.Equal(fatal, c.IsFatal());
    }

    [Theory]
    [InlineData("{\"error\":{\"code\":\"context_length_exceeded\"}}", true)]
    [InlineData("This model's maximum context length is 8192 tokens", true)]
    [InlineData("{\"error\":{\"code\":\"invalid_value\"}}", false)]
    public void Context_length_errors_are_recognised(string body, bool expected) =>
        Assert.Equal(expected, FailureClassification.LooksLikeContextLength(body));
}
