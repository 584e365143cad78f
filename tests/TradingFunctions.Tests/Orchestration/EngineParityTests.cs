using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting;
using Trading.Hosting.Engine;
using Trading.Pipeline.Orchestration;
using Trading.TestKit.Storage;
using TradingFunctions.Tests.Support;
using Xunit.Abstractions;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>
/// The same entry run on Durable Functions' engine (the app's functions on the in-process test host) and on the CLI's
/// (DurableTask.Core's TaskHubWorker over DurableTask.AzureStorage on Azurite): the same activities and the same journal. Wall times are written to the test output for the record; nothing is asserted about them.
/// </summary>
public sealed class EngineParityTests
{
    private readonly ITestOutputHelper _output;

    public EngineParityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task An_entry_run_on_durable_functions_runs_the_same_activities_and_journal_as_on_the_clis_durable_task_engine()
    {
        // Each host runs once to warm up (JIT, table creation), then the measured run on fresh tables.
        await RunDurableAsync();
        await RunTaskHubAsync();
        var durable = await RunDurableAsync();
        var taskHub = await RunTaskHubAsync();

        _output.WriteLine($"durable engine: {durable.Elapsed.TotalMilliseconds:0} ms, {durable.Activities.Count} activities");
        _output.WriteLine($"DurableTask.Core on Azurite (the CLI's engine): {taskHub.Elapsed.TotalMilliseconds:0} ms, {taskHub.Activities.Count} activities");
        Assert.Equal(taskHub.Activities, durable.Activities);
        Assert.Equal(taskHub.Journal, durable.Journal);
    }

    private static async Task<(TimeSpan Elapsed, List<string> Activities, string Journal)> RunDurableAsync()
    {
        using var app = new TestApp();
        var ran = new ConcurrentQueue<string>();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app, new FunctionHooks { ActivityStarting = (name, _) => ran.Enqueue(name) });
        var clock = Stopwatch.StartNew();
        var journal = await RunSupport.RunAsync(worker, ActivityNames.EntryOrchestration, RunSupport.EntryId);
        clock.Stop();
        return (clock.Elapsed, ran.ToList(), Summary(journal));
    }

    private static async Task<(TimeSpan Elapsed, List<string> Activities, string Journal)> RunTaskHubAsync()
    {
        using var app = new TestApp();
        var services = new ServiceCollection();
        app.Register(services);
        services.AddSingleton(new TaskHubOptions
        {
            TaskHubName = "parity" + Guid.NewGuid().ToString("N")[..10],
            ConnectionString = TestStorage.ConnectionString,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(50),
            PartitionCount = 1,
            RetryIntervalScale = 0.001,
        });
        services.AddTaskHubEngine(new ConfigurationBuilder().Build());
        await using var provider = services.BuildServiceProvider();
        var launcher = provider.GetRequiredService<TaskHubRunLauncher>();
        var worker = provider.GetRequiredService<PipelineWorker>();
        await worker.StartAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        await launcher.StartAsync(RunKinds.Entry, RunSupport.EntryId, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var run = await launcher.WaitForRunAsync(RunSupport.EntryId, timeout.Token);
        clock.Stop();
        var log = await launcher.GetActivityLogAsync(RunSupport.EntryId, CancellationToken.None);
        await worker.StopAsync();
        return (clock.Elapsed, log.Select(a => a.Name).ToList(), Summary(run.Output!));
    }

    private static string Summary(Trading.Pipeline.Journal.RunJournal journal) =>
        $"{journal.EndReason} | {journal.ClientOrderId} | {journal.FilledQuantity} | {journal.FilledCredit} | "
        + string.Join(" / ", journal.Stages.Select(s => $"{s.Stage}:{s.Verdict}:{s.Summary}"));
}
