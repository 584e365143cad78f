using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Orchestration;

/// <summary>The management pass: each position is its own failure scope.</summary>
public sealed class ManagePositionsOrchestrationTests
{
    [Fact]
    public async Task A_position_whose_exit_keeps_failing_does_not_keep_the_next_one_from_being_closed()
    {
        var context = new ScriptedContext("manage-2026-11-23T15:30Z")
            .On(ActivityNames.LoadOpenPositions, new OpenPositions { PositionIds = ["ic-stuck", "ic-due"], Summary = "2 open" })
            .When(ActivityNames.EvaluateExit, input => input.Contains("ic-stuck", StringComparison.Ordinal)
                ? throw new ActivityFailedException(ActivityNames.EvaluateExit, "chain unavailable (after 4 attempt(s))")
                : new ExitEvaluation { PositionId = "ic-due", Action = ExitActions.Close, ExitReason = "take_profit", DebitLimit = 0.60m, Summary = "take profit" })
            .On(ActivityNames.ClosePosition, new CloseResult { PositionId = "ic-due", Placed = true, Filled = true, Status = "filled", Summary = "closed" })
            .On(ActivityNames.RecordOutcome, new OutcomeResult { Won = true, NewlyRecorded = true, Summary = "won" });

        var journal = await ManagePositionsOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Contains(context.Calls, c => c.Name == ActivityNames.ClosePosition && c.InputJson.Contains("ic-due", StringComparison.Ordinal));
        Assert.Equal(RunEndReasons.StageFailed, journal.EndReason);
        Assert.Contains("1 closing order(s) placed, 1 outcome(s) recorded", journal.EndDetail, StringComparison.Ordinal);
        Assert.Contains("ic-stuck: Activity EvaluateExit failed: chain unavailable", journal.EndDetail, StringComparison.Ordinal);
        Assert.Contains(journal.Stages, s => s.Stage == "EvaluateExit:ic-stuck" && s.Verdict == "failed");
        Assert.Contains(journal.Stages, s => s.Stage == "RecordOutcome:ic-due" && s.Verdict == "won");
    }
}
