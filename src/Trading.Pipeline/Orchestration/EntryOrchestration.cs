using Microsoft.Extensions.Logging;
using Trading.Pipeline.Council;
using Trading.Pipeline.Journal;

namespace Trading.Pipeline.Orchestration;

/// <summary>
/// The entry run: snapshot → analysis → strategy → memory → lessons → risk → council (one vote activity per seat, in
/// parallel) → final decision → order → journal.
/// Deterministic: it only sequences activities and branches on their results (no I/O, clock, randomness or environment),
/// so Durable Functions can replay it and the tests can run it over recorded results.
/// </summary>
public static class EntryOrchestration
{
    /// <summary>Runs the entry pipeline and returns the journal it recorded.</summary>
    public static async Task<RunJournal> RunAsync(IOrchestrationContext context, RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var run = request with { RunId = context.InstanceId };
        var journal = new JournalBuilder(run.RunId, "entry", run.Trigger, run.DryRun, context.CurrentUtcDateTime);
        var log = context.ReplaySafeLogger;
        var progress = new RunProgressTracker(context);
        var currentStage = ActivityNames.MarketSnapshot;

        Task<T> StageAsync<T>(string stage, object input, ActivityRetry retry)
        {
            currentStage = stage;
            return progress.StageAsync<T>(stage, input, retry);
        }

        async Task<RunJournal> EndAsync(string reason, string detail)
        {
            var record = journal.Build(reason, detail, context.CurrentUtcDateTime);
            log.LogInformation("Run {RunId} ended: {Reason} ({Detail})", run.RunId, reason, detail);
            // The stored journal (stamped with when it was recorded) is the run's result.
            return await StageAsync<RunJournal>(ActivityNames.RecordRun, record, ActivityRetry.IdempotentWrite) ?? record;
        }

        try
        {
            var snapshot = await StageAsync<MarketSnapshot>(ActivityNames.MarketSnapshot, run, ActivityRetry.Read);
            journal.Update(j => j with { MarketSimulated = snapshot.MarketSimulated, BrokerSimulated = snapshot.BrokerSimulated });
            journal.Stage(ActivityNames.MarketSnapshot, snapshot.EntryAllowed ? "ok" : "stop", snapshot.Summary);
            if (snapshot.Halted)
            {
                return await EndAsync(RunEndReasons.Halted, $"Trading is halted: {snapshot.HaltReason}");
            }

            if (!snapshot.EntryAllowed)
            {
                return await EndAsync(RunEndReasons.EntryNotAllowed, snapshot.BlockReason ?? "entry not allowed");
            }

            var snapshotInput = new SnapshotInput { Run = run, Snapshot = snapshot };

            var analysis = await StageAsync<MarketAnalysis>(ActivityNames.AnalyzeMarket, snapshotInput, ActivityRetry.ModelCall);
            journal.Usage(analysis.Usage);
            journal.Stage(ActivityNames.AnalyzeMarket, analysis.Outlook, analysis.Summary);

            var strategy = await StageAsync<StrategySelection>(ActivityNames.SelectStrategy, snapshotInput, ActivityRetry.Read);
            journal.Stage(ActivityNames.SelectStrategy, strategy.Label, strategy.Summary);
            if (strategy.Proposal is null)
            {
                return await EndAsync(RunEndReasons.NoCondor, strategy.Summary);
            }

            var proposalInput = new ProposalInput { Run = run, Snapshot = snapshot, Strategy = strategy };

            var memory = await StageAsync<MemoryRecall>(ActivityNames.RecallTradeMemory, proposalInput, ActivityRetry.Read);
            journal.Stage(ActivityNames.RecallTradeMemory, memory.Verdict, memory.Summary);
            if (memory.Verdict == "STRONG_AVOID")
            {
                return await EndAsync(RunEndReasons.MemoryStrongAvoid, memory.Summary);
            }

            var lessons = await StageAsync<LessonsRecall>(ActivityNames.RetrieveLessons, proposalInput, ActivityRetry.Read);
            journal.Usage(lessons.Usage);
            journal.Stage(ActivityNames.RetrieveLessons, lessons.Blocked ? "block" : "ok", lessons.Summary);
            if (lessons.Blocked)
            {
                return await EndAsync(RunEndReasons.LessonBlocks, $"A CRITICAL unresolved lesson blocks the trade: {lessons.BlockingLesson}");
            }

            var risk = await StageAsync<RiskAssessment>(ActivityNames.AssessRisk, proposalInput, ActivityRetry.Read);
            journal.Stage(ActivityNames.AssessRisk, risk.Approved ? "approve" : "reject", risk.Summary);
            if (!risk.Approved)
            {
                return await EndAsync(RunEndReasons.RiskRejected, risk.Summary);
            }

            var deliberation = new DeliberationInput
            {
                Run = run,
                Snapshot = snapshot,
                Analysis = analysis,
                Strategy = strategy,
                Memory = memory,
                Lessons = lessons,
                Risk = risk,
            };

            currentStage = ActivityNames.ConveneCouncil;
            var council = await ConveneCouncilAsync(context, progress, deliberation);
            journal.Usage(council.Usage);
            journal.Update(j => j with { DecisionMode = council.Mode, CouncilVotes = council.Votes });
            journal.Stage(ActivityNames.ConveneCouncil, council.Approved ? "approve" : "decline", council.Reason);
            if (!council.Approved)
            {
                return await EndAsync(RunEndReasons.CouncilDeclined, council.Reason);
            }

            var decision = await StageAsync<ExecutionDecision>(ActivityNames.DecideExecution, deliberation with { Council = council }, ActivityRetry.ModelCall);
            journal.Usage(decision.Usage);
            var decided = $"{decision.DecidedBy}: {decision.Reason}";
            journal.Stage(ActivityNames.DecideExecution, decision.Execute ? "execute" : "decline", decided);
            if (!decision.Execute)
            {
                return await EndAsync(RunEndReasons.DecisionDeclined, decided);
            }

            if (run.DryRun)
            {
                return await EndAsync(RunEndReasons.DryRun,
                    $"Dry run: would sell {decision.Contracts} condor(s) for a {decision.LimitCredit:0.00} credit; no order placed.");
            }

            var order = await StageAsync<OrderPlacement>(
                ActivityNames.PlaceOrder,
                new OrderRequest
                {
                    Run = run,
                    Strategy = strategy,
                    Snapshot = snapshot,
                    Memory = memory,
                    Risk = risk,
                    Contracts = decision.Contracts,
                    LimitCredit = decision.LimitCredit,
                },
                ActivityRetry.IdempotentOrder);
            journal.Update(j => j with
            {
                ClientOrderId = order.ClientOrderId,
                OrderId = order.OrderId,
                OrderStatus = order.Status,
                FilledQuantity = order.FilledQuantity,
                FilledCredit = order.FilledCredit,
            });
            journal.Stage(ActivityNames.PlaceOrder, order.Placed ? order.Status : "rejected", order.Summary);
            if (!order.Placed)
            {
                return await EndAsync(RunEndReasons.OrderRejected, order.RejectReason ?? order.Summary);
            }

            return order.FilledQuantity > 0
                ? await EndAsync(RunEndReasons.Traded, order.Summary)
                : await EndAsync(RunEndReasons.OrderWorking, $"{order.Summary} (working; ManagePositions reconciles the fill)");
        }
        catch (ActivityFailedException failure)
        {
            journal.Stage(currentStage, "failed", failure.Message);
            return await EndAsync(RunEndReasons.StageFailed, failure.Message);
        }
    }

    /// <summary>
    /// The council as a fan-out: SeatCouncil names the seats, each seat's CastVote runs as its own activity, all in parallel,
    /// and the votes are joined here by <see cref="CouncilAggregation"/>. A seat whose vote still fails after its retries
    /// abstains (never an approval) and the others' votes stand; a replay after a restart re-asks only seats without a recorded
    /// vote.
    /// </summary>
    private static async Task<CouncilVerdict> ConveneCouncilAsync(IOrchestrationContext context, RunProgressTracker progress, DeliberationInput deliberation)
    {
        progress.Begin(ActivityNames.ConveneCouncil);
        var seating = await context.CallActivityAsync<CouncilSeating>(ActivityNames.SeatCouncil, deliberation, ActivityRetry.Read);
        progress.Seated(seating.Seats.Count);

        async Task<CouncilBallot> CastAsync(CouncilSeat seat)
        {
            CouncilBallot ballot;
            try
            {
                ballot = await context.CallActivityAsync<CouncilBallot>(
                    ActivityNames.CastVote, new VoteInput { Deliberation = deliberation, Seat = seat, Mode = seating.Mode }, ActivityRetry.ModelCall);
            }
            catch (ActivityFailedException failure)
            {
                ballot = new CouncilBallot
                {
                    Vote = new CouncilVote { Member = seat.Member, DecidedBy = "-", Valid = false, AbstainReason = $"no vote after its retries: {failure.Message}" },
                };
            }

            progress.VoteCast();
            return ballot;
        }

        var ballots = await Task.WhenAll(seating.Seats.Select(CastAsync));
        var rule = new CouncilOptions { QuorumApprovals = seating.QuorumApprovals, MinApprovalConfidence = seating.MinApprovalConfidence };
        var verdict = CouncilAggregation.Aggregate([.. ballots.Select(b => b.Vote)], rule, seating.Mode, [.. ballots.SelectMany(b => b.Usage)]);
        progress.Done(ActivityNames.ConveneCouncil);
        return verdict;
    }
}
