using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Orchestration;

namespace Trading.Hosting.Engine;

/// <summary>
/// DurableTask.Core's <see cref="OrchestrationContext"/> seen through the pipeline's <see cref="IOrchestrationContext"/>
/// (the local hosts' twin of the Functions app's adapter). Activities are scheduled with the framework's retry policy and
/// System.Text.Json payloads; the run's <see cref="RunProgress"/> is kept for the custom status. The orchestration's clock is
/// the engine's, moved to the market's time when the run request carries one (the CLI's simulated market runs days ahead of
/// the wall clock): deterministic, since both the anchor and the engine's clock come from the history.
/// </summary>
public sealed class TaskHubOrchestrationContext : IOrchestrationContext
{
    private readonly OrchestrationContext _context;
    private readonly TimeSpan _marketOffset;
    private readonly double _retryIntervalScale;

    public TaskHubOrchestrationContext(OrchestrationContext context, RunRequest request, ILogger logger, double retryIntervalScale = 1.0)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(logger);
        _context = context;
        _context.MessageDataConverter = PayloadDataConverter.Instance;
        _context.ErrorDataConverter = PayloadDataConverter.Instance;
        _marketOffset = request.MarketTimeUtc is { } market ? market.UtcDateTime - context.CurrentUtcDateTime : TimeSpan.Zero;
        _retryIntervalScale = retryIntervalScale;
        ReplaySafeLogger = new ReplaySafeLogger(logger, () => _context.IsReplaying);
    }

    public string InstanceId => _context.OrchestrationInstance.InstanceId;

    public DateTime CurrentUtcDateTime => _context.CurrentUtcDateTime + _marketOffset;

    public ILogger ReplaySafeLogger { get; }

    /// <summary>The progress the orchestration published last (the custom status); null before it published any.</summary>
    public RunProgress? Progress { get; private set; }

    public void SetProgress(RunProgress progress) => Progress = progress;

    public async Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        try
        {
            var output = retry.MaxAttempts <= 1
                ? await _context.ScheduleTask<TOut>(name, string.Empty, input)
                : await _context.ScheduleWithRetry<TOut>(name, string.Empty, RetryOptionsOf(retry), input);
            return output;
        }
        catch (TaskFailedException e)
        {
            // Deterministic: the failure is in the history, so a replay takes the same branch.
            throw new ActivityFailedException(name, e.FailureDetails?.ErrorMessage ?? e.Message, e);
        }
    }

    private RetryOptions RetryOptionsOf(ActivityRetry retry)
    {
        var first = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)(retry.FirstRetryInterval.Ticks * _retryIntervalScale)));
        return new RetryOptions(first, retry.MaxAttempts) { BackoffCoefficient = retry.BackoffCoefficient };
    }
}

/// <summary>Forwards to a logger only when the orchestration is not replaying.</summary>
internal sealed class ReplaySafeLogger : ILogger
{
    private readonly ILogger _inner;
    private readonly Func<bool> _isReplaying;

    public ReplaySafeLogger(ILogger inner, Func<bool> isReplaying)
    {
        _inner = inner;
        _isReplaying = isReplaying;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => !_isReplaying() && _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!_isReplaying())
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
