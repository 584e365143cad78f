using Microsoft.Extensions.DependencyInjection;
using Trading.Core.Strategy;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>The app's position-management orchestrator and activity functions on the Durable Task engine.</summary>
public sealed class ManageRunTests
{
    [Fact]
    public async Task A_position_past_its_take_profit_is_closed_with_one_order_and_its_outcome_recorded_once()
    {
        // A 10% take-profit: on the seeded simulated market the condor sold Monday at the natural credit 1.48 (mid about 1.59)
        // costs about 1.22 to close on Tuesday at the same hour, a profit past the target (and not yet five minutes after entry).
        using var app = new TestApp(new Dictionary<string, string?> { ["Exit:TakeProfitPct"] = "10", ["Exit:MinHoldHours"] = "0" });
        await using var engine = await DurableEngine.StartAsync();
        await using var worker = await engine.StartWorkerAsync(app);
        var entry = await RunSupport.RunAsync(worker, ActivityNames.EntryOrchestration, RunSupport.EntryId);
        Assert.Equal(RunEndReasons.Traded, entry.EndReason);

        app.Time.Advance(TimeSpan.FromMinutes(5));
        var early = await RunSupport.RunAsync(worker, ActivityNames.ManagePositionsOrchestration, RunSupport.ManageId(app.Time.GetUtcNow()));
        Assert.Contains("0 closing order(s) placed", early.EndDetail, StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(5));
        var manageId = RunSupport.ManageId(app.Time.GetUtcNow());
        var journal = await RunSupport.RunAsync(worker, ActivityNames.ManagePositionsOrchestration, manageId);

        Assert.Equal(RunEndReasons.PositionsManaged, journal.EndReason);
        var exit = Assert.Single(journal.Stages, s => s.Stage.StartsWith(ActivityNames.EvaluateExit, StringComparison.Ordinal));
        Assert.StartsWith("TakeProfit", exit.Summary, StringComparison.Ordinal);
        var close = Assert.Single(journal.Stages, s => s.Stage.StartsWith(ActivityNames.ClosePosition, StringComparison.Ordinal));
        Assert.Equal("Filled", close.Verdict);
        Assert.Contains("1 closing order(s) placed, 1 outcome(s) recorded", journal.EndDetail, StringComparison.Ordinal);
        Assert.Equal(2, app.Broker.Accepted.Count); // one to open, one to close

        var tables = worker.Services.GetRequiredService<PipelineTables>();
        var closed = Assert.Single(await new PositionBook(tables).AllAsync(CancellationToken.None));
        Assert.Equal(PositionStates.Closed, closed.State);
        Assert.True(closed.RealizedPnlDollars > 0);
        var memory = new TradeMemoryStore(tables, new SamplerSettings());
        Assert.Single(await memory.OutcomesAsync("iron_condor", CancellationToken.None));
        var arm = await memory.GetArmAsync("iron_condor", closed.Variant, CancellationToken.None);
        Assert.Equal(1, arm.ClosedTrades);

        // The outcome activity run again for the same position (a retry) records nothing twice.
        var again = await worker.Services.GetRequiredService<ActivityFunctions>()
            .RecordOutcomeAsync(new PositionInput { RunId = manageId, PositionId = closed.PositionId }, CancellationToken.None);
        Assert.False(again.NewlyRecorded);
        Assert.Single(await memory.OutcomesAsync("iron_condor", CancellationToken.None));
        Assert.Equal(1, (await memory.GetArmAsync("iron_condor", closed.Variant, CancellationToken.None)).ClosedTrades);

        // The next pass finds nothing to manage and places nothing.
        app.Time.Advance(TimeSpan.FromMinutes(30));
        var next = await RunSupport.RunAsync(worker, ActivityNames.ManagePositionsOrchestration, RunSupport.ManageId(app.Time.GetUtcNow()));
        Assert.Contains("0 position(s) evaluated", next.EndDetail, StringComparison.Ordinal);
        Assert.Equal(2, app.Broker.Accepted.Count);
    }
}
