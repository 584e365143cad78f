using Trading.Pipeline.Orchestration;

namespace Trading.Hosting;

/// <summary>Orchestration kinds and their instance-id prefixes.</summary>
public static class RunKinds
{
    public const string Entry = "entry";
    public const string Manage = "manage";

    /// <summary>The orchestration function name of a kind.</summary>
    public static string OrchestrationOf(string kind) => kind switch
    {
        Entry => ActivityNames.EntryOrchestration,
        Manage => ActivityNames.ManagePositionsOrchestration,
        _ => throw new ArgumentException($"Unknown run kind '{kind}'; expected '{Entry}' or '{Manage}'.", nameof(kind)),
    };
}

/// <summary>Instance states, named as Durable Task's OrchestrationRuntimeStatus.</summary>
public static class RunStatuses
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
    public const string Terminated = "Terminated";

    public static bool IsTerminal(string status) => status is Completed or Failed or Terminated;
}

/// <summary>What <see cref="IRunLauncher.StartAsync"/> did.</summary>
public enum RunStartOutcome
{
    /// <summary>A new instance was scheduled.</summary>
    Started,

    /// <summary>An instance with this id (or, for manual runs, another entry run) is still running; nothing was started.</summary>
    AlreadyRunning,

    /// <summary>Trading is halted; no entry run was started.</summary>
    Halted,
}

/// <summary>The answer to a start request.</summary>
public sealed record RunStartResult(RunStartOutcome Outcome, string InstanceId, string Detail);

/// <summary>An instance's status as a host reports it.</summary>
public sealed record RunStatusView
{
    public string InstanceId { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    /// <summary>One of <see cref="RunStatuses"/>.</summary>
    public string Status { get; init; } = string.Empty;

    public DateTimeOffset? CreatedUtc { get; init; }

    public DateTimeOffset? LastUpdatedUtc { get; init; }

    /// <summary>The failure message of a failed instance (no secrets: activity messages only).</summary>
    public string? Error { get; init; }

    /// <summary>How far the run has got (the orchestration's custom status, on both engines); null before its first step.</summary>
    public RunProgress? Progress { get; init; }

    /// <summary>Something unusual about the run (for example that nobody has been executing it for a while); null otherwise.</summary>
    public string? Note { get; init; }
}

/// <summary>
/// Starts and inspects orchestration instances: DurableTask.Core on Azure Storage (<c>TaskHubRunLauncher</c>: the CLI, tests) or Durable Functions (the Functions app).
/// The singleton rule lives behind it: an instance id is started only when absent or terminal.
/// </summary>
public interface IRunLauncher
{
    /// <summary>Starts <paramref name="kind"/> as <paramref name="instanceId"/> unless that instance is running.</summary>
    Task<RunStartResult> StartAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken);

    /// <summary>The instance's status, or null when it does not exist.</summary>
    Task<RunStatusView?> GetStatusAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Ids of instances of <paramref name="kind"/> that are pending or running.</summary>
    Task<IReadOnlyList<string>> ActiveInstancesAsync(string kind, CancellationToken cancellationToken);
}
