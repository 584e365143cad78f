using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Trading.Hosting.Engine;

/// <summary>
/// The Durable Task engine of the local hosts: which task hub on which storage account, and how eagerly a worker polls.
/// </summary>
public sealed class TaskHubOptions
{
    /// <summary>The task hub used when <c>TASKHUB_NAME</c> is not set: a local one, never the deployed app's (TradingHub).</summary>
    public const string DefaultTaskHubName = "TradingLocal";

    /// <summary>The task hub (<c>TASKHUB_NAME</c>, as the Functions app's host.json and the Bicep template set it).</summary>
    public string TaskHubName { get; set; } = DefaultTaskHubName;

    /// <summary>The storage account (blob, queue and table endpoints) as a connection string.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The longest wait between polls of an idle queue. The framework's default (30 s) suits a cloud worker; a local run
    /// waits on these queues between every two stages, so the CLI polls within 100 ms.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Control-queue partitions (Durable Functions' default: 4). An existing task hub keeps the count it was created with.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// How long a worker may hold a control-queue partition without renewing it (a blob lease: 15-60 s); a killed worker's
    /// partitions, and so its runs' next steps, move to another worker after this (<c>TaskHub:LeaseInterval</c>).
    /// </summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a worker looks for partitions to own (and renews its own). The framework's 10 s makes a starting worker
    /// wait up to that long before it runs anything; a local command should not.
    /// </summary>
    public TimeSpan PartitionCheckInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a dequeued message (an activity, or an orchestration step) stays invisible to other workers before another
    /// worker takes it over (<c>TaskHub:WorkItemVisibilityTimeout</c>). The worker running it renews it from 30 s before it
    /// expires, checking every 5 s, so anything from 10 s up stays hidden while the work runs. The framework's 5 min is how
    /// long a run stalls after its worker was killed; locally 1 min.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>This worker's name in the partition table (several workers may share a hub).</summary>
    public string WorkerId { get; set; } = Environment.MachineName + "-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Multiplies every retry interval (tests use a small value; the framework needs a positive interval).</summary>
    public double RetryIntervalScale { get; set; } = 1.0;

    /// <summary>Called after each activity ran and before its result is handed to the engine (tests: a crash after a side effect).</summary>
    public Func<string, CancellationToken, Task>? AfterActivity { get; set; }

    /// <summary>The task hub name rule of Azure Storage task hubs: 3–45 letters and digits, starting with a letter.</summary>
    public static string? TaskHubNameError(string? name) =>
        name is { Length: >= 3 and <= 45 } && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
            ? null
            : $"TASKHUB_NAME must be 3-45 letters and digits starting with a letter; got '{name}'.";

    /// <summary>The storage provider's settings for these options.</summary>
    internal AzureStorageOrchestrationServiceSettings ToSettings(ILoggerFactory loggerFactory) => new()
    {
        TaskHubName = TaskHubName,
        StorageAccountClientProvider = new StorageAccountClientProvider(ConnectionString),
        MaxQueuePollingInterval = MaxQueuePollingInterval,
        PartitionCount = PartitionCount,
        LeaseInterval = LeaseInterval,
        LeaseAcquireInterval = PartitionCheckInterval,
        LeaseRenewInterval = PartitionCheckInterval,
        WorkItemQueueVisibilityTimeout = WorkItemVisibilityTimeout,
        ControlQueueVisibilityTimeout = WorkItemVisibilityTimeout,
        WorkerId = WorkerId,
        // The app lease keeps one worker per app name on a hub (Durable Functions' blue/green guard); local workers share work.
        UseAppLease = false,
        LoggerFactory = loggerFactory,
    };
}
