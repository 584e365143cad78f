using System.Globalization;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Journal;

namespace Trading.Pipeline.Orchestration;

/// <summary>
/// Position management: for each open condor, evaluate the exit rules; close with one multi-leg order; when the close
/// (or expiry) settles, record the outcome once, keyed by the position, which also updates the sampler for its variant.
/// Each position is its own failure scope: an activity that still fails after its retries marks that position failed in the
/// journal (and the run as stage-failed) but the pass goes on to the next position.
/// </summary>
public static class ManagePositionsOrchestration
{
    /// <summary>Runs one management pass and returns its journal.</summary>
    public static async Task<RunJournal> RunAsync(IOrchestrationContext context, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var run = request with { RunId = context.InstanceId };
        var journal = new JournalBuilder(run.RunId, "manage", run.Trigger, run.DryRun, context.CurrentUtcDateTime);
        var closed = 0;
        var outcomes = 0;
        var failures = new List<string>();
        string reason = RunEndReasons.PositionsManaged;
        string detail;
        var progress = new RunProgressTracker(context);
        OpenPositions book;
        try
        {
            book = await progress.StageAsync<OpenPositions>(ActivityNames.LoadOpenPositions, run, ActivityRetry.Read);
        }
        catch (ActivityFailedException failure)
        {
            journal.Stage(ActivityNames.LoadOpenPositions, "failed", failure.Message);
            return await RecordAsync(context, progress, journal, run, RunEndReasons.StageFailed, failure.Message);
        }

        journal.Update(j => j with { MarketSimulated = book.MarketSimulated, BrokerSimulated = book.BrokerSimulated, DecisionMode = "rules" });
        journal.Stage(ActivityNames.LoadOpenPositions, "ok", book.Summary);
        foreach (var positionId in book.PositionIds)
        {
            // Each position is its own failure scope: one whose exit keeps failing never keeps the others from being closed.
            var position = new PositionInput { RunId = run.RunId, PositionId = positionId };
            var currentStage = ActivityNames.EvaluateExit;
            try
            {
                var evaluation = await progress.StageAsync<ExitEvaluation>(ActivityNames.EvaluateExit, position, ActivityRetry.Read, $"{ActivityNames.EvaluateExit}:{positionId}");
                journal.Stage($"{ActivityNames.EvaluateExit}:{positionId}", evaluation.Action, evaluation.Summary);
                var settled = evaluation.Action == ExitActions.Settled;
                if (evaluation.Action == ExitActions.Close && !run.DryRun)
                {
                    currentStage = ActivityNames.ClosePosition;
                    var close = await progress.StageAsync<CloseResult>(
                        ActivityNames.ClosePosition,
                        new CloseRequest { RunId = run.RunId, PositionId = positionId, ExitReason = evaluation.ExitReason, DebitLimit = evaluation.DebitLimit },
                        ActivityRetry.IdempotentOrder,
                        $"{ActivityNames.ClosePosition}:{positionId}");
                    journal.Stage($"{ActivityNames.ClosePosition}:{positionId}", close.Status, close.Summary);
                    closed += close.Placed ? 1 : 0;
                    settled = close.Filled;
                }

                if (settled)
                {
                    currentStage = ActivityNames.RecordOutcome;
                    var outcome = await progress.StageAsync<OutcomeResult>(
                        ActivityNames.RecordOutcome, position, ActivityRetry.IdempotentWrite, $"{ActivityNames.RecordOutcome}:{positionId}");
                    journal.Stage($"{ActivityNames.RecordOutcome}:{positionId}", outcome.Won ? "won" : "lost", outcome.Summary);
                    outcomes += outcome.NewlyRecorded ? 1 : 0;
                }
            }
            catch (ActivityFailedException failure)
            {
                journal.Stage($"{currentStage}:{positionId}", "failed", failure.Message);
                failures.Add($"{positionId}: {failure.Message}");
            }
        }

        detail = string.Create(CultureInfo.InvariantCulture,
            $"{book.PositionIds.Count} position(s) evaluated, {closed} closing order(s) placed, {outcomes} outcome(s) recorded.");
        if (failures.Count > 0)
        {
            // Still a failed run (alerts and exit codes see it), after every other position was handled.
            reason = RunEndReasons.StageFailed;
            detail += string.Create(CultureInfo.InvariantCulture, $" {failures.Count} position(s) failed: ") + string.Join("; ", failures);
        }

        return await RecordAsync(context, progress, journal, run, reason, detail);
    }

    private static async Task<RunJournal> RecordAsync(
        IOrchestrationContext context, RunProgressTracker progress, JournalBuilder journal, RunRequest run, string reason, string detail)
    {
        var record = journal.Build(reason, detail, context.CurrentUtcDateTime);
        context.ReplaySafeLogger.LogInformation("Management run {RunId}: {Detail}", run.RunId, detail);
        return await progress.StageAsync<RunJournal>(ActivityNames.RecordRun, record, ActivityRetry.IdempotentWrite) ?? record;
    }
}
