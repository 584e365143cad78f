using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Trading.Hosting.Engine;

/// <summary>
/// The task hub on Azure Storage (queues, the history and instance tables, lease blobs) that the launcher and the worker
/// share: DurableTask.AzureStorage's <see cref="AzureStorageOrchestrationService"/>, the provider Durable Functions uses.
/// </summary>
public sealed class TaskHubService
{
    public TaskHubService(TaskHubOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Service = new AzureStorageOrchestrationService(options.ToSettings(loggerFactory ?? NullLoggerFactory.Instance));
    }

    public TaskHubOptions Options { get; }

    /// <summary>The storage provider (both the worker's orchestration service and the client's).</summary>
    public AzureStorageOrchestrationService Service { get; }
}
