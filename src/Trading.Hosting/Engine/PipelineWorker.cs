using DurableTask.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Orchestration;

namespace Trading.Hosting.Engine;

/// <summary>
/// A Durable Task worker for the pipeline on the task hub: the two orchestrations and every activity of the catalog,
/// hosted by DurableTask.Core's <see cref="TaskHubWorker"/>. Starting it also resumes every unfinished run of the hub
/// (the engine delivers their pending messages); several workers, in one process or many, share a hub's work.
/// </summary>
public sealed class PipelineWorker : IAsyncDisposable
{
    private readonly TaskHubService _hub;
    private readonly TaskHubWorker _worker;
    private bool _started;

    public PipelineWorker(TaskHubService hub, ActivityCatalog catalog, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(catalog);
        _hub = hub;
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        var logger = factory.CreateLogger("Trading.Pipeline.Orchestration");
        var options = hub.Options;
        _worker = new TaskHubWorker(hub.Service, factory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        _worker.AddTaskOrchestrations(
            new PipelineTaskOrchestration.Creator(ActivityNames.EntryOrchestration, logger, options.RetryIntervalScale),
            new PipelineTaskOrchestration.Creator(ActivityNames.ManagePositionsOrchestration, logger, options.RetryIntervalScale));
        _worker.AddTaskActivities(catalog.Names
            .Select(name => (ObjectCreator<TaskActivity>)new NameValueObjectCreator<TaskActivity>(name, string.Empty, new CatalogTaskActivity(name, catalog, options.AfterActivity)))
            .ToArray());
    }

    /// <summary>Creates the task hub if it does not exist, then starts dispatching its work.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        await _hub.Service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
        await _worker.StartAsync().WaitAsync(cancellationToken);
        _started = true;
    }

    /// <summary>Stops dispatching (gracefully: work in progress finishes, leases are released for other workers).</summary>
    public async Task StopAsync(bool forced = false)
    {
        if (!_started)
        {
            return;
        }

        _started = false;
        await _worker.StopAsync(forced);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _worker.Dispose();
    }
}
