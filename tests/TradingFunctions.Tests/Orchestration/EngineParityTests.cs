using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Orchestration;
using TradingFunctions.Tests.Support;
using Xunit.Abstractions;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>
/// The same entry run on the Durable Task engine and on the in-process runner the CLI uses: the same activities and the
/// same journal. Wall times are written to the test output for the record; nothing is asserted about them.
/// </summary>
public sealed class EngineParityTests
{
    private readonly ITestOutputHelper _output;

    public EngineParityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task An_entry_run_on_the_durable_engine_runs_the_same_activities_and_journal_as_on_the_in_process_runner()
    {
        // Each host runs once to warm up (JIT, table creation), then the measured run on fresh tables.
        await RunDurableAsync();
        await RunInProcessAsync();
        var durable = await RunDurableAsync();
        var inProcess = await RunInProcessAsync();

        _output.WriteLine($"durable engine: {durable.Elapsed.TotalMilliseconds:0} ms, {durable.Activities.Count} activities");
        _output.WriteLine($"in-process runner: {inProcess.Elapsed.TotalMilliseconds:0} ms, {inProcess.Activities.Count} activities");
        Assert.Equal(inProcess.Activities, durable.Activities);
        Assert.Equal(inProcess.Journal, durable.Journal);
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

    private static async Task<(TimeSpan Elapsed, List<string> Activities, string Journal)> RunInProcessAsync()
    {
        using var app = new TestApp();
        await using var provider = app.BuildValidatedProvider();
        var runner = provider.GetRequiredService<InProcessOrchestrationRunner>();
        var clock = Stopwatch.StartNew();
        var (_, instance) = await runner.StartAndRunAsync(RunKinds.Entry, RunSupport.EntryId, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        clock.Stop();
        var log = await runner.GetActivityLogAsync(RunSupport.EntryId, CancellationToken.None);
        return (clock.Elapsed, log.Select(a => a.Name).ToList(), Summary(instance!.Output!));
    }

    private static string Summary(Trading.Pipeline.Journal.RunJournal journal) =>
        $"{journal.EndReason} | {journal.ClientOrderId} | {journal.FilledQuantity} | {journal.FilledCredit} | "
        + string.Join(" / ", journal.Stages.Select(s => $"{s.Stage}:{s.Verdict}:{s.Summary}"));
}
