using Trading.Pipeline.Activities;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.EndToEnd;

public sealed class ManagePositionsTests
{
    [Fact]
    public async Task A_time_exit_closes_with_one_order_and_records_the_outcome_once_updating_the_sampler()
    {
        // Time exit from 60 DTE with no minimum hold: the next pass must close. The pass runs minutes after entry because the
        // simulated chain lists $1 strikes only within one standard deviation of the current spot, so a condor's 20-delta
        // shorts drop out of the chain as the spot moves and the legs cannot be priced (reported to the markets engineer).
        await using var harness = await PipelineHarness.CreateAsync(settings: new Dictionary<string, string?> { ["Exit:ExitAtDte"] = "60", ["Exit:MinHoldHours"] = "0" });
        var (_, entry) = await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        Assert.True(entry!.Output!.EndReason is RunEndReasons.Traded, entry.Output.EndDetail);
        var book = new PositionBook(harness.Tables);
        var position = Assert.Single(await book.AllAsync(CancellationToken.None));

        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var manageId = RunInstanceIdsFor(harness.Time.GetUtcNow());
        var (_, manage) = await harness.StartAndRunAsync(RunKinds.Manage, manageId, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        var journal = manage!.Output!;
        Assert.Equal(RunEndReasons.PositionsManaged, journal.EndReason);
        Assert.True(journal.Stages.Any(s => s.Stage.StartsWith(ActivityNames.ClosePosition, StringComparison.Ordinal)),
            string.Join(" | ", journal.Stages.Select(s => $"{s.Stage}: {s.Verdict}: {s.Summary}")));
        Assert.Contains("1 outcome(s) recorded", journal.EndDetail, StringComparison.Ordinal);
        Assert.Equal(2, harness.Broker.PlaceCalls); // one to open, one to close
        var closed = Assert.Single(await book.AllAsync(CancellationToken.None));
        Assert.Equal(PositionStates.Closed, closed.State);
        Assert.NotNull(closed.RealizedPnlDollars);

        // Recording again (a retry or a resumed run) counts nothing twice.
        var activities = (ActivityCatalog)harness.Services.GetService(typeof(ActivityCatalog))!;
        var again = await activities.RunAsync<PositionInput, OutcomeResult>(ActivityNames.RecordOutcome, new PositionInput { RunId = manageId, PositionId = closed.PositionId }, CancellationToken.None);
        Assert.False(again.NewlyRecorded);
        var memory = new TradeMemoryStore(harness.Tables, new Trading.Core.Strategy.SamplerSettings());
        Assert.Single(await memory.OutcomesAsync("iron_condor", CancellationToken.None));
        var arm = await memory.GetArmAsync("iron_condor", closed.Variant, CancellationToken.None);
        Assert.Equal(1, arm.ClosedTrades);
        Assert.Equal(3.0, arm.Alpha + arm.Beta, 6);

        // A second management pass finds nothing to do.
        harness.Time.Advance(TimeSpan.FromMinutes(30));
        var (_, next) = await harness.StartAndRunAsync(RunKinds.Manage, RunInstanceIdsFor(harness.Time.GetUtcNow()), new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        Assert.Contains("0 position(s) evaluated", next!.Output!.EndDetail, StringComparison.Ordinal);
        Assert.Equal(2, harness.Broker.PlaceCalls);
    }

    [Fact]
    public async Task A_management_worker_lost_after_sending_the_close_retries_it_and_records_the_outcome_once_with_one_closing_order()
    {
        await using var harness = await PipelineHarness.CreateAsync(settings: new Dictionary<string, string?> { ["Exit:ExitAtDte"] = "60", ["Exit:MinHoldHours"] = "0" });
        await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromMinutes(5));
        var manageId = RunInstanceIdsFor(harness.Time.GetUtcNow());
        var crashes = 0;
        harness.AfterActivity = name =>
            name == ActivityNames.ClosePosition && Interlocked.Increment(ref crashes) == 1
                ? throw new IOException("worker lost after the closing order was sent")
                : Task.CompletedTask;

        var (_, resumed) = await harness.StartAndRunAsync(RunKinds.Manage, manageId, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        Assert.Equal(2, crashes);
        Assert.Equal(RunStatuses.Completed, resumed!.Status);
        Assert.Contains("1 outcome(s) recorded", resumed.Output!.EndDetail, StringComparison.Ordinal);
        Assert.Equal(2, harness.Broker.PlaceCalls);
        var memory = new TradeMemoryStore(harness.Tables, new Trading.Core.Strategy.SamplerSettings());
        Assert.Single(await memory.OutcomesAsync("iron_condor", CancellationToken.None));
    }

    [Fact]
    public async Task A_condor_whose_legs_vanish_from_the_chain_is_closed_when_the_underlying_breaches_a_short_strike()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var (_, entry) = await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        Assert.True(entry!.Output!.EndReason is RunEndReasons.Traded, entry.Output.EndDetail);
        var book = new PositionBook(harness.Tables);
        var position = Assert.Single(await book.AllAsync(CancellationToken.None));
        var shortCall = position.Legs.Single(l => l.Right == "call" && l.Side == "sell").Strike;

        // A day later every leg is gone from the chain and SPY trades a dollar through the short call.
        foreach (var leg in position.Legs)
        {
            harness.Market.Hidden.Add(leg.Symbol);
        }

        harness.Market.Underlying = shortCall + 1m;
        harness.Time.Advance(TimeSpan.FromDays(1));
        var (_, manage) = await harness.StartAndRunAsync(RunKinds.Manage, RunInstanceIdsFor(harness.Time.GetUtcNow()), new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        var stages = string.Join(" | ", manage!.Output!.Stages.Select(s => $"{s.Stage}: {s.Verdict}: {s.Summary}"));
        var evaluation = manage.Output.Stages.Single(s => s.Stage.StartsWith(ActivityNames.EvaluateExit, StringComparison.Ordinal));
        Assert.True(evaluation.Verdict == "close", stages);
        Assert.Contains("ShortStrikeBreached", evaluation.Summary, StringComparison.Ordinal);
        Assert.Contains("priced from the volatility smile", evaluation.Summary, StringComparison.Ordinal);
        Assert.Contains(manage.Output.Stages, s => s.Stage.StartsWith(ActivityNames.ClosePosition, StringComparison.Ordinal));
        Assert.Equal(2, harness.Broker.PlaceCalls);
        Assert.NotEqual(PositionStates.Open, Assert.Single(await book.AllAsync(CancellationToken.None)).State);
    }

    private static string RunInstanceIdsFor(DateTimeOffset now) => Scheduling.RunInstanceIds.ForSlot(RunKinds.Manage, now);
}
