using System.Collections.Concurrent;
using Trading.Hosting;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Trading.Pipeline.Tests.EndToEnd;

/// <summary>Two workers on one task hub (two <c>trading serve</c> processes, or serve and run): they share the work, and each activity runs once.</summary>
public sealed class ScaleOutTests
{
    private readonly ITestOutputHelper _output;

    public ScaleOutTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Two_workers_on_one_task_hub_share_the_activities_and_run_each_once()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var ran = new ConcurrentQueue<(string Worker, string Activity)>();
        harness.AfterActivity = name =>
        {
            ran.Enqueue(("first", name));
            return Task.CompletedTask;
        };
        await using var second = await harness.StartAnotherWorkerAsync("second-worker", name =>
        {
            ran.Enqueue(("second", name));
            return Task.CompletedTask;
        });

        var ids = Enumerable.Range(0, 6).Select(i => $"manual-scale-{i}").ToArray();
        foreach (var id in ids)
        {
            await harness.Launcher.StartAsync(RunKinds.Entry, id, new RunRequest { Trigger = RunTriggers.Manual, DryRun = true }, CancellationToken.None);
        }

        var recorded = 0;
        foreach (var id in ids)
        {
            var run = await harness.WaitAsync(id);
            Assert.Equal(RunStatuses.Completed, run.Status);
            Assert.Equal("dry-run", run.Output!.EndReason);
            recorded += (await harness.Launcher.GetActivityLogAsync(id, CancellationToken.None)).Count;
        }

        var byWorker = ran.GroupBy(r => r.Worker).ToDictionary(g => g.Key, g => g.Count());
        _output.WriteLine($"{recorded} activities in the histories; ran on first: {byWorker.GetValueOrDefault("first")}, second: {byWorker.GetValueOrDefault("second")}");
        Assert.Equal(recorded, ran.Count); // each activity ran once, on one of the two workers
        Assert.Equal(0, harness.Broker.PlaceCalls);
    }
}
