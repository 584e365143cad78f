using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>
/// Durable Task's orchestration context seen through the pipeline's <see cref="IOrchestrationContext"/>. After each activity
/// it publishes the activities completed so far as the orchestration's custom status, which GET /api/runs/{id} reports.
/// </summary>
internal sealed class DurableOrchestrationContextAdapter : IOrchestrationContext
{
    private readonly TaskOrchestrationContext _context;
    private readonly List<string> _completed = [];

    public DurableOrchestrationContextAdapter(TaskOrchestrationContext context)
    {
        _context = context;
        ReplaySafeLogger = context.CreateReplaySafeLogger("Trading.Pipeline.Orchestration");
    }

    public string InstanceId => _context.InstanceId;

    public DateTime CurrentUtcDateTime => _context.CurrentUtcDateTime;

    public ILogger ReplaySafeLogger { get; }

    public async Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var options = TaskOptions.FromRetryPolicy(new RetryPolicy(retry.MaxAttempts, retry.FirstRetryInterval, retry.BackoffCoefficient));
        try
        {
            var output = await _context.CallActivityAsync<TOut>(name, input, options);
            _completed.Add(name);
            _context.SetCustomStatus(_completed.ToArray());
            return output;
        }
        catch (TaskFailedException e)
        {
            // Deterministic: the failure is part of the history, so a replay takes the same branch.
            throw new ActivityFailedException(name, e.FailureDetails.ErrorMessage, e);
        }
    }
}
