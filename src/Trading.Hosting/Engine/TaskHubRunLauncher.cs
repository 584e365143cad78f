using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Trading.Hosting.Scheduling;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Hosting.Engine;

/// <summary>One completed activity of a run, read from the engine's history (name, payloads, completion time).</summary>
public sealed record RecordedActivity
{
    public int Sequence { get; init; }

    public string Name { get; init; } = string.Empty;

    public string InputJson { get; init; } = string.Empty;

    public string OutputJson { get; init; } = string.Empty;

    public DateTimeOffset CompletedUtc { get; init; }
}

/// <summary>
/// Starts and inspects runs on the Durable Task Framework's task hub through a <see cref="TaskHubClient"/> (the local
/// hosts' twin of the Functions app's launcher). The singleton rule: an instance id (derived from the schedule slot) is
/// started only when absent or terminal. The run request is stamped with the market's time, so the orchestration's clock
/// follows the host's market clock.
/// </summary>
public sealed class TaskHubRunLauncher : IRunLauncher
{
    private static readonly OrchestrationStatus[] Unfinished = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew];
    private readonly AzureStorageOrchestrationService _service;
    private readonly TaskHubClient _client;
    private readonly TimeProvider _time;

    public TaskHubRunLauncher(TaskHubService hub, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(time);
        _service = hub.Service;
        _client = new TaskHubClient(_service, PayloadDataConverter.Instance);
        _time = time;
    }

    public async Task<RunStartResult> StartAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RunInstanceIds.Validate(instanceId);
        var name = RunKinds.OrchestrationOf(kind);
        var existing = await _client.GetOrchestrationStateAsync(instanceId);
        if (existing is not null && Unfinished.Contains(existing.OrchestrationStatus))
        {
            return new RunStartResult(RunStartOutcome.AlreadyRunning, instanceId, $"Instance {instanceId} is {existing.OrchestrationStatus}.");
        }

        var input = request with { RunId = instanceId, MarketTimeUtc = request.MarketTimeUtc ?? _time.GetUtcNow() };
        try
        {
            await _client.CreateOrchestrationInstanceAsync(name, string.Empty, instanceId, input, null, Unfinished);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return new RunStartResult(RunStartOutcome.AlreadyRunning, instanceId, $"Instance {instanceId} was started concurrently.");
        }

        return new RunStartResult(RunStartOutcome.Started, instanceId, $"Instance {instanceId} scheduled.");
    }

    public async Task<RunStatusView?> GetStatusAsync(string instanceId, CancellationToken cancellationToken)
    {
        var state = await _client.GetOrchestrationStateAsync(instanceId);
        return state is null
            ? null
            : new RunStatusView
            {
                InstanceId = instanceId,
                Kind = state.Name == ActivityNames.ManagePositionsOrchestration ? RunKinds.Manage : RunKinds.Entry,
                Status = StatusName(state.OrchestrationStatus),
                CreatedUtc = Utc(state.CreatedTime),
                LastUpdatedUtc = Utc(state.LastUpdatedTime),
                Error = state.FailureDetails?.ErrorMessage ?? (state.OrchestrationStatus == OrchestrationStatus.Failed ? state.Output : null),
                Progress = string.IsNullOrEmpty(state.Status) ? null : JsonSerializer.Deserialize<RunProgress>(state.Status, StateJson.Options),
            };
    }

    public async Task<IReadOnlyList<string>> ActiveInstancesAsync(string kind, CancellationToken cancellationToken)
    {
        var name = RunKinds.OrchestrationOf(kind);
        var condition = new OrchestrationInstanceStatusQueryCondition { RuntimeStatus = Unfinished, FetchInput = false, FetchOutput = false };
        var ids = new List<string>();
        string? continuation = null;
        do
        {
            var page = await _service.GetOrchestrationStateAsync(condition, 100, continuation!, cancellationToken);
            ids.AddRange(page.OrchestrationState.Where(s => s.Name == name).Select(s => s.OrchestrationInstance.InstanceId));
            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));

        return ids;
    }

    /// <summary>The run's state as the engine stores it, or null when there is no such instance.</summary>
    public async Task<TaskHubRun?> GetRunAsync(string instanceId, CancellationToken cancellationToken)
    {
        var state = await _client.GetOrchestrationStateAsync(instanceId);
        return state is null ? null : TaskHubRun.From(state);
    }

    /// <summary>Waits until the instance is terminal (polling the instance table) and returns it.</summary>
    public async Task<TaskHubRun> WaitForRunAsync(string instanceId, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var run = await GetRunAsync(instanceId, cancellationToken);
            if (run is { IsTerminal: true })
            {
                return run;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(250, delay.TotalMilliseconds * 1.5));
        }
    }

    /// <summary>The completed activities of the run's latest execution, in completion order, from the engine's history.</summary>
    public async Task<IReadOnlyList<RecordedActivity>> GetActivityLogAsync(string instanceId, CancellationToken cancellationToken)
    {
        var state = await _client.GetOrchestrationStateAsync(instanceId);
        if (state is null)
        {
            return [];
        }

        var json = await _client.GetOrchestrationHistoryAsync(state.OrchestrationInstance);
        var scheduled = new Dictionary<int, (string Name, string Input)>();
        var log = new List<RecordedActivity>();
        foreach (var node in JsonNode.Parse(json)?.AsArray() ?? [])
        {
            switch (EventTypeOf(node))
            {
                case EventType.TaskScheduled:
                    scheduled[node!["EventId"]!.GetValue<int>()] = (node["Name"]!.GetValue<string>(), string.Empty);
                    break;
                case EventType.TaskCompleted when scheduled.TryGetValue(node!["TaskScheduledId"]!.GetValue<int>(), out var task):
                    log.Add(new RecordedActivity
                    {
                        Sequence = log.Count,
                        Name = task.Name,
                        InputJson = task.Input,
                        OutputJson = node["Result"]?.GetValue<string>() ?? "null",
                        CompletedUtc = new DateTimeOffset(DateTime.SpecifyKind(node["Timestamp"]!.GetValue<DateTime>(), DateTimeKind.Utc)),
                    });
                    break;
            }
        }

        // The provider does not keep activity inputs in the history: recover them by replaying the orchestration over the results.
        var request = string.IsNullOrEmpty(state.Input) ? new RunRequest() : PayloadDataConverter.Instance.Deserialize<RunRequest>(state.Input) ?? new RunRequest();
        var started = (request.MarketTimeUtc ?? Utc(state.CreatedTime)).UtcDateTime;
        var inputs = await HistoryReplayContext.InputsAsync(
            state.Name, instanceId, request with { RunId = instanceId }, started, log.Select(a => (a.Name, a.OutputJson)).ToList());
        return log.Select((a, i) => inputs[i] is { } input ? a with { InputJson = input } : a).ToList();
    }

    private static EventType? EventTypeOf(JsonNode? node) =>
        node?["EventType"] switch
        {
            JsonValue v when v.TryGetValue<int>(out var number) => (EventType)number,
            JsonValue v when v.TryGetValue<string>(out var text) && Enum.TryParse<EventType>(text, out var parsed) => parsed,
            _ => null,
        };

    internal static string StatusName(OrchestrationStatus status) => status switch
    {
        OrchestrationStatus.Running or OrchestrationStatus.ContinuedAsNew => RunStatuses.Running,
        OrchestrationStatus.Completed => RunStatuses.Completed,
        OrchestrationStatus.Failed => RunStatuses.Failed,
        OrchestrationStatus.Terminated or OrchestrationStatus.Canceled => RunStatuses.Terminated,
        _ => RunStatuses.Pending,
    };

    internal static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}

/// <summary>A run as the task hub stores it: status, the request it was started with, and its journal once it ended.</summary>
public sealed record TaskHubRun(string InstanceId, string Status, RunRequest Request, RunJournal? Output, string? Error, DateTimeOffset CreatedUtc, DateTimeOffset LastUpdatedUtc)
{
    /// <summary>Completed, failed or terminated.</summary>
    public bool IsTerminal => RunStatuses.IsTerminal(Status);

    internal static TaskHubRun From(OrchestrationState state)
    {
        var status = TaskHubRunLauncher.StatusName(state.OrchestrationStatus);
        var request = string.IsNullOrEmpty(state.Input) ? new RunRequest() : PayloadDataConverter.Instance.Deserialize<RunRequest>(state.Input) ?? new RunRequest();
        var output = status == RunStatuses.Completed && !string.IsNullOrEmpty(state.Output) ? PayloadDataConverter.Instance.Deserialize<RunJournal>(state.Output) : null;
        var error = status == RunStatuses.Completed ? null : state.FailureDetails?.ErrorMessage ?? state.Output;
        return new TaskHubRun(state.OrchestrationInstance.InstanceId, status, request, output, error, TaskHubRunLauncher.Utc(state.CreatedTime), TaskHubRunLauncher.Utc(state.LastUpdatedTime));
    }
}
