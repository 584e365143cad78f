using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Trading.Pipeline.Orchestration;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>The app's timer functions against the engine's client: one run per schedule slot.</summary>
public sealed class SingletonTimerTests
{
    [Fact]
    public async Task Two_entry_timer_firings_in_one_slot_start_one_instance_and_one_order()
    {
        using var app = new TestApp();
        using var gate = new SemaphoreSlim(0);
        var snapshots = 0;
        await using var engine = await DurableEngine.StartAsync();
        // The run waits at its first activity until the test lets it go, so every firing below meets a running instance.
        await using var worker = await engine.StartWorkerAsync(app, new FunctionHooks
        {
            ActivityStarting = (name, _) =>
            {
                if (name == ActivityNames.MarketSnapshot)
                {
                    Interlocked.Increment(ref snapshots);
                    gate.Wait(Engine.HangGuard);
                }
            },
        });
        var timers = worker.Services.GetRequiredService<TimerFunctions>();

        // Two firings at once (two hosts, or a retried firing), then a third a little later in the same slot.
        await Task.WhenAll(
            timers.EntryTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None),
            timers.EntryTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None));
        app.Time.Advance(TimeSpan.FromSeconds(20));
        await timers.EntryTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None);
        gate.Release();

        var instance = Assert.Single(await AllAsync(worker.Client));
        Assert.Equal(RunSupport.EntryId, instance.InstanceId);
        Assert.Equal(ActivityNames.EntryOrchestration, instance.Name);
        await Engine.CompletionAsync(worker.Client, RunSupport.EntryId);
        Assert.Equal(1, Volatile.Read(ref snapshots));
        Assert.Single(app.Broker.Accepted);
        Assert.Equal(1, app.Broker.PlaceAttempts);
    }

    [Fact]
    public async Task Two_management_timer_firings_in_one_slot_start_one_instance()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var timers = worker.Services.GetRequiredService<TimerFunctions>();

        await Task.WhenAll(
            timers.ManageTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None),
            timers.ManageTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None));

        var instance = Assert.Single(await AllAsync(worker.Client));
        Assert.Equal(RunSupport.ManageId(app.Time.GetUtcNow()), instance.InstanceId);
        Assert.Equal(ActivityNames.ManagePositionsOrchestration, instance.Name);
        await Engine.CompletionAsync(worker.Client, instance.InstanceId);
    }

    private static async Task<List<OrchestrationMetadata>> AllAsync(DurableTaskClient client)
    {
        var all = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            all.Add(instance);
        }

        return all;
    }
}
