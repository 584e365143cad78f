using Microsoft.Extensions.Logging;

namespace Trading.Pipeline.Orchestration;

/// <summary>
/// What an orchestration may do: call activities, read the replay-safe clock, log, publish its progress. Nothing else, so the same code runs
/// under Durable Functions (adapter over TaskOrchestrationContext), on DurableTask.Core in the local hosts
/// (Trading.Hosting's <c>TaskHubOrchestrationContext</c>) and, without an engine, in the backtest.
/// </summary>
public interface IOrchestrationContext
{
    /// <summary>The orchestration instance (run) id.</summary>
    string InstanceId { get; }

    /// <summary>The deterministic orchestration time (the same on every replay).</summary>
    DateTime CurrentUtcDateTime { get; }

    /// <summary>A logger that writes only when the code is not replaying.</summary>
    ILogger ReplaySafeLogger { get; }

    /// <summary>
    /// Calls an activity by name. Throws <see cref="ActivityFailedException"/> when it still fails after <paramref name="retry"/>.
    /// </summary>
    Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry);

    /// <summary>Publishes the run's progress as the orchestration's custom status (the latest value wins).</summary>
    void SetProgress(RunProgress progress);
}

/// <summary>An activity failed after its retries; the orchestration records the stage failure and ends the run.</summary>
public sealed class ActivityFailedException : Exception
{
    public ActivityFailedException(string activityName, string message, Exception? innerException = null)
        : base($"Activity {activityName} failed: {message}", innerException)
    {
        ActivityName = activityName;
    }

    public ActivityFailedException()
        : this("unknown", "failed")
    {
    }

    public ActivityFailedException(string message)
        : this("unknown", message)
    {
    }

    public ActivityFailedException(string message, Exception innerException)
        : this("unknown", message, innerException)
    {
    }

    public string ActivityName { get; } = "unknown";
}

/// <summary>
/// A retry policy in the shape of Durable Task's RetryPolicy (attempts, first interval, backoff coefficient).
/// </summary>
public sealed record ActivityRetry(int MaxAttempts, TimeSpan FirstRetryInterval, double BackoffCoefficient)
{
    /// <summary>One attempt: for activities whose repetition could do harm or is pointless.</summary>
    public static ActivityRetry Once { get; } = new(1, TimeSpan.FromSeconds(1), 1.0);

    /// <summary>Reads (market data, tables): retried with exponential backoff.</summary>
    public static ActivityRetry Read { get; } = new(4, TimeSpan.FromSeconds(2), 2.0);

    /// <summary>Model calls: the gateway already falls back between models; one more attempt covers a transient host failure.</summary>
    public static ActivityRetry ModelCall { get; } = new(2, TimeSpan.FromSeconds(5), 2.0);

    /// <summary>Order placement: retried only because the broker deduplicates by client_order_id.</summary>
    public static ActivityRetry IdempotentOrder { get; } = new(3, TimeSpan.FromSeconds(5), 2.0);

    /// <summary>Writes of records keyed by run or position (upserts, insert-if-absent): safe to repeat.</summary>
    public static ActivityRetry IdempotentWrite { get; } = new(4, TimeSpan.FromSeconds(2), 2.0);

    /// <summary>The delay before attempt <paramref name="attempt"/> (2 = first retry).</summary>
    public TimeSpan DelayBefore(int attempt) =>
        attempt <= 1 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 2)));
}
