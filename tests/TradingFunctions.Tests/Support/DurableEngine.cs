using System.Net;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradingFunctions.Tests.Support;

/// <summary>
/// The Durable Task engine in-process, from Microsoft.DurableTask.InProcessTestHost: its in-memory orchestration service
/// behind its gRPC sidecar (the same parts <c>DurableTaskTestHost.StartAsync</c> composes), here bound to 127.0.0.1 on a port
/// the OS picks, and kept separate from the workers so a worker can be stopped and another started against the same
/// orchestration state — a worker restart.
/// </summary>
public sealed class DurableEngine : IAsyncDisposable
{
    private readonly WebApplication _sidecar;
    private readonly GrpcChannel _channel;

    private DurableEngine(WebApplication sidecar, GrpcChannel channel)
    {
        _sidecar = sidecar;
        _channel = channel;
    }

    /// <summary>Starts the sidecar on a free loopback port.</summary>
    public static async Task<DurableEngine> StartAsync()
    {
        var service = new InMemoryOrchestrationService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(service);
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DurableEngine(app, GrpcChannel.ForAddress(address));
    }

    /// <summary>
    /// Starts a worker process of <paramref name="app"/>: the app's container (as Program.cs builds it), the app's functions
    /// registered with the engine, the engine's DataConverter over the worker's configured serializer, and a client.
    /// </summary>
    public async Task<AppWorker> StartWorkerAsync(TestApp app, FunctionHooks? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        app.Register(builder.Services);
        builder.Services.AddSingleton(sp => new WorkerSerializerConverter(
            sp.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer
            ?? throw new InvalidOperationException("The app configured no worker serializer.")));
        builder.Services.AddSingleton<DataConverter>(sp => sp.GetRequiredService<WorkerSerializerConverter>());
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(_channel);
            worker.AddTasks(registry => FunctionTasks.Register(registry, hooks));
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(_channel);
            client.RegisterDirectly();
        });
        var host = builder.Build();
        await host.StartAsync();
        return new AppWorker(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.ShutdownAsync();
        _channel.Dispose();
        await _sidecar.StopAsync();
        await _sidecar.DisposeAsync();
    }
}

/// <summary>One running worker of the app: its container, its Durable client, and a stop.</summary>
public sealed class AppWorker : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    public AppWorker(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public WorkerSerializerConverter Converter => _host.Services.GetRequiredService<WorkerSerializerConverter>();

    /// <summary>Stops the worker (its work-item stream closes; the engine keeps the orchestration state).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
