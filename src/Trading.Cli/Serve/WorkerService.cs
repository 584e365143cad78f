using Microsoft.Extensions.Hosting;
using Trading.Hosting.Engine;

namespace Trading.Cli.Serve;

/// <summary>
/// <c>trading serve</c>'s Durable Task worker: started with the host (which resumes any unfinished run of the task hub),
/// stopped gracefully with it (work in progress finishes; its partitions are released for other workers).
/// </summary>
public sealed class WorkerService : IHostedService
{
    private readonly PipelineWorker _worker;

    public WorkerService(PipelineWorker worker) => _worker = worker;

    public Task StartAsync(CancellationToken cancellationToken) => _worker.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _worker.StopAsync();
}
