using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Trading.Hosting;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>
/// Starts and inspects runs through Durable Functions. The singleton rule: an instance id (derived from the schedule slot)
/// is started only when no instance exists or the existing one is terminal; losing the race to a concurrent starter
/// counts as "already running", never as a second run.
/// </summary>
internal sealed class DurableRunLauncher : IRunLauncher
{
    private readonly DurableTaskClient _client;

    public DurableRunLauncher(DurableTaskClient client) => _client = client;

    public async Task<RunStartResult> StartAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
    {
        var existing = await _client.GetInstanceAsync(instanceId, false, cancellationToken);
        if (existing is not null && !existing.IsCompleted)
        {
            return new RunStartResult(RunStartOutcome.AlreadyRunning, instanceId, $"Instance {instanceId} is {existing.RuntimeStatus}.");
        }

        try
        {
            await _client.ScheduleNewOrchestrationInstanceAsync(
                RunKinds.OrchestrationOf(kind),
                request with { RunId = instanceId },
                SingletonStart(instanceId),
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // OrchestrationAlreadyExistsException (an InvalidOperationException) or the host's gRPC equivalent: another
            // caller started this slot between our check and our start. Anything else is a real failure.
            var now = await _client.GetInstanceAsync(instanceId, false, cancellationToken);
            if (now is not null && !now.IsCompleted)
            {
                return new RunStartResult(RunStartOutcome.AlreadyRunning, instanceId, $"Instance {instanceId} was started concurrently.");
            }

            throw;
        }

        return new RunStartResult(RunStartOutcome.Started, instanceId, $"Instance {instanceId} scheduled.");
    }

    /// <summary>
    /// Start options that make the backend refuse the id while an instance with it is pending, running or suspended. Without
    /// explicit dedupe statuses the backend's default decides (Durable Functions on Azure Storage refuses a running id; the
    /// in-memory test backend replaces it, which let two concurrent timer firings start the slot twice).
    /// </summary>
    internal static StartOrchestrationOptions SingletonStart(string instanceId) =>
        new StartOrchestrationOptions { InstanceId = instanceId }.WithDedupeStatuses(
            OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended);

    public async Task<RunStatusView?> GetStatusAsync(string instanceId, CancellationToken cancellationToken)
    {
        var metadata = await _client.GetInstanceAsync(instanceId, true, cancellationToken);
        return metadata is null
            ? null
            : new RunStatusView
            {
                InstanceId = metadata.InstanceId,
                Kind = metadata.Name == ActivityNames.ManagePositionsOrchestration ? RunKinds.Manage : RunKinds.Entry,
                Status = metadata.RuntimeStatus.ToString(),
                CreatedUtc = metadata.CreatedAt,
                LastUpdatedUtc = metadata.LastUpdatedAt,
                Error = metadata.FailureDetails?.ErrorMessage,
                Progress = metadata.SerializedCustomStatus is { Length: > 0 } ? metadata.ReadCustomStatusAs<RunProgress>() : null,
            };
    }

    public async Task<IReadOnlyList<string>> ActiveInstancesAsync(string kind, CancellationToken cancellationToken)
    {
        var name = RunKinds.OrchestrationOf(kind);
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
            PageSize = 100,
        };
        var ids = new List<string>();
        await foreach (var instance in _client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name == name)
            {
                ids.Add(instance.InstanceId);
            }
        }

        return ids;
    }
}
