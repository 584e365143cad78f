using System.Globalization;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Journal;

namespace Trading.Pipeline.Orchestration;

/// <summary>
/// Position management: for each open condor, evaluate the exit rules; close with one multi-leg order; when the close
/// (or expiry) settles, record the outcome once, keyed by the position, which also updates the sampler for its variant.
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
        string currentStage = ActivityNames.LoadOpenPositions;
        string reason = RunEndReasons.PositionsManaged;
        string detail;
        try
        {
            var book = await context.CallActivityAsync<OpenPositions>(ActivityNames.LoadOpenPositions, run, ActivityRetry.Read);
            journal.Update(j => j with { MarketSimulated = book.MarketSimulated, BrokerSimulated = book.BrokerSimulated, DecisionMode = "rules" });
            journal.Stage(ActivityNames.LoadOpenPositions, "ok", book.Summary);
            foreach (var positionId in book.PositionIds)
            {
                var position = new PositionInput { RunId = run.RunId, PositionId = positionId };
                currentStage = ActivityNames.EvaluateExit;
                var evaluation = await context.CallActivityAsync<ExitEvaluation>(ActivityNames.EvaluateExit, position, ActivityRetry.Read);
                journal.Stage($"{ActivityNames.EvaluateExit}:{positionId}", evaluation.Action, evaluation.Summary);
                var settled = evaluation.Action == ExitActions.Settled;
                if (evaluation.Action == ExitActions.Close && !run.DryRun)
                {
                    currentStage = ActivityNames.ClosePosition;
                    var close = await context.CallActivityAsync<CloseResult>(
                        ActivityNames.ClosePosition,
                        new CloseRequest { RunId = run.RunId, PositionId = positionId, ExitReason = evaluation.ExitReason, DebitLimit = evaluation.DebitLimit },
                        ActivityRetry.IdempotentOrder);
                    journal.Stage($"{ActivityNames.ClosePosition}:{positionId}", close.Status, close.Summary);
                    closed += close.Placed ? 1 : 0;
                    settled = close.Filled;
                }

                if (settled)
                {
                    currentStage = ActivityNames.RecordOutcome;
                    var outcome = await context.CallActivityAsync<OutcomeResult>(ActivityNames.RecordOutcome, position, ActivityRetry.IdempotentWrite);
                    journal.Stage($"{ActivityNames.RecordOutcome}:{positionId}", outcome.Won ? "won" : "lost", outcome.Summary);
                    outcomes += outcome.NewlyRecorded ? 1 : 0;
                }
            }

            detail = string.Create(CultureInfo.InvariantCulture,
                $"{book.PositionIds.Count} position(s) evaluated, {closed} closing order(s) placed, {outcomes} outcome(s) recorded.");
        }
        catch (ActivityFailedException failure)
        {
            journal.Stage(currentStage, "failed", failure.Message);
            reason = RunEndReasons.StageFailed;
            detail = failure.Message;
        }

        var record = journal.Build(reason, detail, context.CurrentUtcDateTime);
        context.ReplaySafeLogger.LogInformation("Management run {RunId}: {Detail}", run.RunId, detail);
        return await context.CallActivityAsync<RunJournal>(ActivityNames.RecordRun, record, ActivityRetry.IdempotentWrite) ?? record;
    }
}
