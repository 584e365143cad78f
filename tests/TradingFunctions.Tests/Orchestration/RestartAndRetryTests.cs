using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>Replays, worker restarts and retries of the app's entry orchestration on the Durable Task engine.</summary>
public sealed class RestartAndRetryTests
{
    private const string Held = "held-before-RecordRun";

    [Fact]
    public async Task A_worker_stopped_after_PlaceOrder_and_a_new_worker_replaying_the_run_place_no_second_order()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        var firstRan = new ConcurrentQueue<string>();
        var secondRan = new ConcurrentQueue<string>();

        // Worker 1 runs the app's orchestrator until it asks for RecordRun, and holds it there: the history now records
        // PlaceOrder's result, and the run is not finished. Then worker 1 stops.
        var first = await engine.StartWorkerAsync(app, new FunctionHooks
        {
            ActivityStarting = (name, _) => firstRan.Enqueue(name),
            WrapContext = context => new InterceptingContext(context)
            {
                Intercept = async (inner, name, input, call) =>
                {
                    if (name == ActivityNames.RecordRun)
                    {
                        inner.SetCustomStatus(Held);
                        await inner.WaitForExternalEvent<string>("never-raised");
                    }

                    return await call();
                },
            },
        });
        await first.Client.ScheduleNewOrchestrationInstanceAsync(
            ActivityNames.EntryOrchestration, new RunRequest { RunId = RunSupport.EntryId, Trigger = RunTriggers.Timer },
            new StartOrchestrationOptions { InstanceId = RunSupport.EntryId });
        var held = await Engine.UntilAsync(first.Client, RunSupport.EntryId, m => m.SerializedCustomStatus?.Contains(Held, StringComparison.Ordinal) == true);
        Assert.Equal(OrchestrationRuntimeStatus.Running, held.RuntimeStatus);
        Assert.Contains(ActivityNames.PlaceOrder, firstRan);
        Assert.DoesNotContain(ActivityNames.RecordRun, firstRan);
        Assert.Single(app.Broker.Accepted);
        Assert.Null(await first.Services.GetRequiredService<RunJournalStore>().GetAsync(RunSupport.EntryId, CancellationToken.None));
        await first.DisposeAsync();

        // Worker 2: a new container over the same tables and broker, the app's orchestrator unwrapped. An event wakes the
        // instance; the engine replays its whole history into worker 2, which continues with RecordRun.
        await using var second = await engine.StartWorkerAsync(app, new FunctionHooks { ActivityStarting = (name, _) => secondRan.Enqueue(name) });
        await second.Client.RaiseEventAsync(RunSupport.EntryId, "worker-restarted");
        var done = await Engine.CompletionAsync(second.Client, RunSupport.EntryId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal([ActivityNames.RecordRun], secondRan.ToArray());
        Assert.Equal(1, firstRan.Count(n => n == ActivityNames.PlaceOrder));
        Assert.Equal(["ic-" + RunSupport.EntryId], app.Broker.Accepted.ToArray());
        Assert.Equal(1, app.Broker.PlaceAttempts);
        var journal = done.ReadOutputAs<RunJournal>()!;
        Assert.Equal(RunEndReasons.Traded, journal.EndReason);
        var stored = await second.Services.GetRequiredService<RunJournalStore>().GetAsync(RunSupport.EntryId, CancellationToken.None);
        Assert.Equal(journal.OrderId, stored!.OrderId);
        Assert.Single(await new PositionBook(second.Services.GetRequiredService<PipelineTables>()).AllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task PlaceOrder_failing_after_the_broker_accepted_is_retried_by_the_engine_and_finds_the_order_instead_of_placing_another()
    {
        using var app = new TestApp();
        app.Broker.FailAfterAccept = 1;
        var ran = new ConcurrentQueue<string>();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app, new FunctionHooks { ActivityStarting = (name, _) => ran.Enqueue(name) });

        var journal = await RunSupport.RunAsync(worker, ActivityNames.EntryOrchestration, RunSupport.EntryId);

        Assert.Equal(RunEndReasons.Traded, journal.EndReason);
        Assert.Equal(2, ran.Count(n => n == ActivityNames.PlaceOrder)); // the engine re-executed the activity
        Assert.Equal(["ic-" + RunSupport.EntryId], app.Broker.Accepted.ToArray()); // the second execution found the first order
        Assert.Single(await new PositionBook(worker.Services.GetRequiredService<PipelineTables>()).AllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_activity_is_retried_per_its_policy_and_the_stage_failure_is_journalled()
    {
        using var app = new TestApp();
        app.Broker.FailPlacement = true;
        var ran = new ConcurrentQueue<string>();
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app, new FunctionHooks { ActivityStarting = (name, _) => ran.Enqueue(name) });

        var journal = await RunSupport.RunAsync(worker, ActivityNames.EntryOrchestration, RunSupport.EntryId);

        Assert.Equal(ActivityRetry.IdempotentOrder.MaxAttempts, ran.Count(n => n == ActivityNames.PlaceOrder));
        Assert.Equal(ActivityRetry.IdempotentOrder.MaxAttempts, app.Broker.PlaceAttempts);
        Assert.Empty(app.Broker.Accepted);
        Assert.Equal(RunEndReasons.StageFailed, journal.EndReason);
        var failed = journal.Stages[^1];
        Assert.Equal((ActivityNames.PlaceOrder, "failed"), (failed.Stage, failed.Verdict));
        Assert.Contains("broker unreachable", failed.Summary, StringComparison.Ordinal);
        var stored = await worker.Services.GetRequiredService<RunJournalStore>().GetAsync(RunSupport.EntryId, CancellationToken.None);
        Assert.Equal(RunEndReasons.StageFailed, stored!.EndReason);
        Assert.Equal(1, ran.Count(n => n == ActivityNames.RecordRun));
    }
}
