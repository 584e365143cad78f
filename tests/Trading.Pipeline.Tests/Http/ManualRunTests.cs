using System.Text.Json;
using Trading.Hosting;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Http;

/// <summary>The walk-through's findings about manual runs: ids that collide, a dead run that blocks, and the order of "last runs".</summary>
public sealed class ManualRunTests
{
    [Fact]
    public async Task Two_manual_runs_started_in_the_same_second_get_their_own_ids_and_journals()
    {
        await using var harness = await PipelineHarness.CreateAsync();

        var first = await StartAsync(harness, dryRun: true);
        await harness.WaitForBackgroundRunsAsync();
        var second = await StartAsync(harness, dryRun: true); // the harness clock has not moved: the same second
        await harness.WaitForBackgroundRunsAsync();

        Assert.NotEqual(first, second);
        foreach (var id in new[] { first, second })
        {
            var run = await harness.Api.GetRunAsync(id, CancellationToken.None);
            Assert.Equal(200, run.StatusCode);
            using var body = JsonDocument.Parse(run.Json);
            Assert.Equal(id, body.RootElement.GetProperty("journal").GetProperty("instanceId").GetString());
        }

        var status = JsonDocument.Parse((await harness.Api.GetStatusAsync(CancellationToken.None)).Json);
        var listed = status.RootElement.GetProperty("lastRuns").EnumerateArray().Select(r => r.GetProperty("instanceId").GetString()).ToList();
        Assert.Equal(listed.Distinct().Count(), listed.Count);
        Assert.Equal([second, first], listed.Take(2));
    }

    [Fact]
    public async Task A_running_run_shows_its_progress_in_its_status_and_among_the_active_runs()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        using var gate = new SemaphoreSlim(0);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.AfterActivity = async name =>
        {
            if (name == ActivityNames.AssessRisk && held.TrySetResult())
            {
                await gate.WaitAsync(TimeSpan.FromSeconds(60)); // AssessRisk ran; its result is not recorded yet
            }
        };

        var id = await StartAsync(harness, dryRun: true);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        RunProgress? progress = null;
        for (var i = 0; i < 200 && progress?.CurrentStage != ActivityNames.AssessRisk; i++)
        {
            await Task.Delay(50); // the engine writes the custom status when the orchestration's step is checkpointed
            progress = (await harness.Launcher.GetStatusAsync(id, CancellationToken.None))?.Progress;
        }

        Assert.Equal(ActivityNames.AssessRisk, progress?.CurrentStage);
        Assert.Equal(
            [ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory, ActivityNames.RetrieveLessons],
            progress!.StagesDone);
        using (var status = JsonDocument.Parse((await harness.Api.GetStatusAsync(CancellationToken.None)).Json))
        {
            var active = Assert.Single(status.RootElement.GetProperty("activeRuns").EnumerateArray());
            Assert.Equal(id, active.GetProperty("instanceId").GetString());
            Assert.Equal(ActivityNames.AssessRisk, active.GetProperty("progress").GetProperty("currentStage").GetString());
        }

        gate.Release();
        var finished = await harness.WaitAsync(id);
        var final = (await harness.Launcher.GetStatusAsync(id, CancellationToken.None))!.Progress!;
        Assert.Null(final.CurrentStage);
        Assert.Equal(ActivityNames.RecordRun, final.StagesDone[^1]);
        Assert.Equal(finished.Output!.Stages.Select(s => s.Stage).Append(ActivityNames.RecordRun), final.StagesDone);
        using var after = JsonDocument.Parse((await harness.Api.GetStatusAsync(CancellationToken.None)).Json);
        Assert.Empty(after.RootElement.GetProperty("activeRuns").EnumerateArray());
    }

    [Fact]
    public async Task A_run_nobody_executes_blocks_manual_runs_until_a_worker_starts_and_finishes_it()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        await harness.Worker.StopAsync(); // the process that started it is gone
        var waiting = "manual-waiting-run";
        await harness.Launcher.StartAsync(RunKinds.Entry, waiting, new RunRequest { RunId = waiting, Trigger = RunTriggers.Manual, DryRun = true }, CancellationToken.None);

        var blocked = await harness.Api.StartRunAsync("""{"dryRun": true}""", CancellationToken.None);
        Assert.Equal(409, blocked.StatusCode);
        Assert.Contains(waiting, blocked.Json, StringComparison.Ordinal);

        // Any worker on the task hub (a later 'trading run' or 'serve') picks it up and finishes it.
        await using var worker = await harness.StartAnotherWorkerAsync("later-process");
        var finished = await harness.WaitAsync(waiting);
        Assert.Equal(RunStatuses.Completed, finished.Status);
        Assert.Equal("dry-run", finished.Output!.EndReason);

        var allowed = await harness.Api.StartRunAsync("""{"dryRun": true}""", CancellationToken.None);
        Assert.Equal(202, allowed.StatusCode);
        await harness.WaitForBackgroundRunsAsync();
    }

    [Fact]
    public async Task Last_runs_are_in_the_order_they_were_made_not_by_market_time_and_a_rewrite_keeps_one_row()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var wall = new ManualTime(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var store = new RunJournalStore(harness.Tables, wall);

        // A local simulated run happens at the next entry window, days ahead of the wall clock; a later one through serve, now.
        var simulated = new RunJournal { InstanceId = "manual-cli", StartedUtc = new DateTime(2026, 11, 30, 15, 0, 0, DateTimeKind.Utc) };
        var served = new RunJournal { InstanceId = "manual-serve", StartedUtc = new DateTime(2026, 11, 27, 12, 1, 0, DateTimeKind.Utc) };
        await store.SaveAsync(simulated, CancellationToken.None);
        wall.Advance(TimeSpan.FromMinutes(1));
        await store.SaveAsync(served, CancellationToken.None);
        wall.Advance(TimeSpan.FromMinutes(1));
        await store.SaveAsync(simulated with { EndReason = "resumed" }, CancellationToken.None); // a rewrite (resume, retry)

        var recent = await store.RecentAsync(10, CancellationToken.None);

        Assert.Equal(["manual-serve", "manual-cli"], recent.Select(r => r.InstanceId));
        Assert.Equal("resumed", recent[1].EndReason);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero), recent[1].RecordedUtc);
    }

    private static async Task<string> StartAsync(PipelineHarness harness, bool dryRun)
    {
        var started = await harness.Api.StartRunAsync(dryRun ? """{"dryRun": true}""" : "{}", CancellationToken.None);
        Assert.Equal(202, started.StatusCode);
        using var body = JsonDocument.Parse(started.Json);
        return body.RootElement.GetProperty("instanceId").GetString()!;
    }
}
