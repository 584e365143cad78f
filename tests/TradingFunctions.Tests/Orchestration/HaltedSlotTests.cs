using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>The entry timer on a halted system (the CLI's scheduler runs the same ScheduledRuns; see its ScheduleRunnerTests).</summary>
public sealed class HaltedSlotTests
{
    [Fact]
    public async Task A_halted_system_starts_no_entry_run_but_still_manages_positions()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        await worker.Services.GetRequiredService<HaltSwitch>().SetAsync(true, "test: drawdown review", CancellationToken.None);
        var timers = worker.Services.GetRequiredService<TimerFunctions>();

        await timers.EntryTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None);
        await timers.ManageTimerAsync(new TimerInfo(), worker.Client, CancellationToken.None);

        var names = new List<string>();
        await foreach (var instance in worker.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            names.Add(instance.Name);
        }

        Assert.Equal([ActivityNames.ManagePositionsOrchestration], names);
        Assert.Empty(app.Broker.Accepted);
    }
}
