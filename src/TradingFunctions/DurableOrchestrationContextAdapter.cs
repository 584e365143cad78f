using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>
/// Durable Task's orchestration context seen through the pipeline's <see cref="IOrchestrationContext"/>. The run's
/// <see cref="RunProgress"/> is the orchestration's custom status, which GET /api/runs/{id} and GET /api/status report.
/// </summary>
internal sealed class DurableOrchestrationContextAdapter : IOrchestrationContext
{
    private readonly TaskOrchestrationContext _context;

    public DurableOrchestrationContextAdapter(TaskOrchestrationContext context)
    {
        _context = context;
        ReplaySafeLogger = context.CreateReplaySafeLogger("Trading.Pipeline.Orchestration");
    }

    public string InstanceId => _context.InstanceId;

    public DateTime CurrentUtcDateTime => _context.CurrentUtcDateTime;

    public ILogger ReplaySafeLogger { get; }

    public void SetProgress(RunProgress progress) => _context.SetCustomStatus(progress);

    public async Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var options = TaskOptions.FromRetryPolicy(new RetryPolicy(retry.MaxAttempts, retry.FirstRetryInterval, retry.BackoffCoefficient));
        try
        {
            var output = await _context.CallActivityAsync<TOut>(name, input, options);
            return output;
        }
        catch (TaskFailedException e)
        {
            // Deterministic: the failure is part of the history, so a replay takes the same branch.
            throw new ActivityFailedException(name, e.FailureDetails.ErrorMessage, e);
        }
    }
}
