using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Orchestration;

public sealed class EntryOrchestrationTests
{
    [Fact]
    public async Task Approve_path_calls_every_stage_in_order_and_journals_models_and_cost()
    {
        var context = ScriptedContext.Approving();
        var journal = await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Equal(
            [
                ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory,
                ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.SeatCouncil, ActivityNames.CastVote, ActivityNames.CastVote,
                ActivityNames.CastVote, ActivityNames.DecideExecution, ActivityNames.PlaceOrder, ActivityNames.RecordRun,
            ],
            context.Calls.Select(c => c.Name).ToArray());
        Assert.Equal(RunEndReasons.Traded, journal.EndReason);
        Assert.Equal(0.033m, journal.LlmCostUsd);
        Assert.Equal(["deepseek-r1", "kimi-k2", "mistral-medium-3", "claude-opus"], journal.ModelsUsed);
        Assert.All(context.Calls.Where(c => c.Name == ActivityNames.CastVote), c => Assert.Equal(ActivityRetry.ModelCall, c.Retry));
        Assert.Equal("o-1", journal.OrderId);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(journal), System.Text.Json.JsonSerializer.Serialize(context.RecordedJournal));
        Assert.Equal(ActivityRetry.IdempotentOrder, context.Calls.Single(c => c.Name == ActivityNames.PlaceOrder).Retry);
        Assert.Equal(ActivityRetry.Read, context.Calls.Single(c => c.Name == ActivityNames.MarketSnapshot).Retry);
    }

    public static TheoryData<string, string> EarlyExits() => new()
    {
        { "halted", RunEndReasons.Halted },
        { "closed", RunEndReasons.EntryNotAllowed },
        { "no-condor", RunEndReasons.NoCondor },
        { "strong-avoid", RunEndReasons.MemoryStrongAvoid },
        { "lesson", RunEndReasons.LessonBlocks },
        { "risk", RunEndReasons.RiskRejected },
        { "council", RunEndReasons.CouncilDeclined },
        { "decision", RunEndReasons.DecisionDeclined },
        { "dry-run", RunEndReasons.DryRun },
        { "rejected", RunEndReasons.OrderRejected },
        { "failure", RunEndReasons.StageFailed },
    };

    [Theory]
    [MemberData(nameof(EarlyExits))]
    public async Task Each_stop_ends_the_run_with_its_reason_never_places_an_order_and_still_journals(string scenario, string expectedReason)
    {
        var context = ScriptedContext.Approving();
        var dryRun = false;
        string lastStage;
        switch (scenario)
        {
            case "halted":
                context.On(ActivityNames.MarketSnapshot, new MarketSnapshot { Regime = "Calm", Halted = true, HaltReason = "operator", EntryAllowed = false });
                lastStage = ActivityNames.MarketSnapshot;
                break;
            case "closed":
                context.On(ActivityNames.MarketSnapshot, new MarketSnapshot { Regime = "Calm", EntryAllowed = false, BlockReason = "market closed" });
                lastStage = ActivityNames.MarketSnapshot;
                break;
            case "no-condor":
                context.On(ActivityNames.SelectStrategy, new StrategySelection { Variant = "d15-w5", Proposal = null, Summary = "no condor" });
                lastStage = ActivityNames.SelectStrategy;
                break;
            case "strong-avoid":
                context.On(ActivityNames.RecallTradeMemory, new MemoryRecall { Verdict = "STRONG_AVOID", Summary = "lost 7 of 10" });
                lastStage = ActivityNames.RecallTradeMemory;
                break;
            case "lesson":
                context.On(ActivityNames.RetrieveLessons, new LessonsRecall { Blocked = true, BlockingLesson = "L-901", Summary = "blocked" });
                lastStage = ActivityNames.RetrieveLessons;
                break;
            case "risk":
                context.On(ActivityNames.AssessRisk, new RiskAssessment { Approved = false, Summary = "rejected: MaxOpenCondors" });
                lastStage = ActivityNames.AssessRisk;
                break;
            case "council":
                context.When(ActivityNames.CastVote, input => ScriptedContext.Ballot(input, approve: false));
                lastStage = ActivityNames.ConveneCouncil;
                break;
            case "decision":
                context.On(ActivityNames.DecideExecution, new ExecutionDecision { Execute = false, Reason = "invalid final decision: limitPrice -1" });
                lastStage = ActivityNames.DecideExecution;
                break;
            case "dry-run":
                dryRun = true;
                lastStage = ActivityNames.DecideExecution;
                break;
            case "rejected":
                context.On(ActivityNames.PlaceOrder, new OrderPlacement { Placed = false, Status = "rejected", RejectReason = "buying_power" });
                lastStage = ActivityNames.PlaceOrder;
                break;
            default:
                context.Fail(ActivityNames.AssessRisk);
                lastStage = ActivityNames.AssessRisk;
                break;
        }

        var journal = await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Manual, DryRun = dryRun });

        Assert.Equal(expectedReason, journal.EndReason);
        Assert.False(string.IsNullOrWhiteSpace(journal.EndDetail));
        Assert.Equal(lastStage == ActivityNames.ConveneCouncil ? ActivityNames.CastVote : lastStage, context.Calls[^2].Name);
        Assert.Equal(ActivityNames.RecordRun, context.Calls[^1].Name);
        Assert.Equal(lastStage, journal.Stages[^1].Stage);
        if (scenario != "rejected")
        {
            Assert.DoesNotContain(context.Calls, c => c.Name == ActivityNames.PlaceOrder);
        }
    }

    [Fact]
    public async Task Replaying_over_recorded_results_reproduces_the_same_calls_inputs_and_journal()
    {
        var first = ScriptedContext.Approving();
        var original = await EntryOrchestration.RunAsync(first, new RunRequest { Trigger = RunTriggers.Timer });
        var recorded = first.Calls.Select((c, i) => (c.Name, first.Outputs[i])).ToList();

        var replay = new ScriptedContext(first.InstanceId, recorded);
        var replayed = await EntryOrchestration.RunAsync(replay, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Equal(first.Calls.Select(c => (c.Name, c.InputJson)), replay.Calls.Select(c => (c.Name, c.InputJson)));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(original), System.Text.Json.JsonSerializer.Serialize(replayed));
    }

    [Fact]
    public async Task A_seat_whose_vote_still_fails_abstains_and_the_other_seats_decide()
    {
        var context = ScriptedContext.Approving().When(ActivityNames.CastVote, input =>
            input.Contains("\"options_analysis\"", StringComparison.Ordinal)
                ? throw new ActivityFailedException(ActivityNames.CastVote, "gateway host unreachable")
                : ScriptedContext.Ballot(input, approve: true));

        var journal = await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Equal(RunEndReasons.Traded, journal.EndReason);
        var council = journal.Stages.Single(s => s.Stage == ActivityNames.ConveneCouncil);
        Assert.Equal("approve", council.Verdict);
        Assert.Contains("2 approve, 0 reject, 1 abstain", council.Summary, StringComparison.Ordinal);
        var failed = journal.CouncilVotes.Single(v => v.Member == "options_analysis");
        Assert.False(failed.Valid);
        Assert.False(failed.Approve);
        Assert.Contains("gateway host unreachable", failed.AbstainReason, StringComparison.Ordinal);
        Assert.Equal(3, context.Calls.Count(c => c.Name == ActivityNames.CastVote)); // each seat asked once by the orchestration
    }

    [Fact]
    public async Task Two_failed_seats_leave_no_quorum_and_never_an_approval()
    {
        var context = ScriptedContext.Approving().When(ActivityNames.CastVote, input =>
            input.Contains("\"risk_assessment\"", StringComparison.Ordinal)
                ? ScriptedContext.Ballot(input, approve: true)
                : throw new ActivityFailedException(ActivityNames.CastVote, "failed"));

        var journal = await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Equal(RunEndReasons.CouncilDeclined, journal.EndReason);
        Assert.Contains("no quorum: 1 valid approval(s), 2 needed", journal.EndDetail, StringComparison.Ordinal);
        Assert.DoesNotContain(context.Calls, c => c.Name == ActivityNames.PlaceOrder);
    }

    [Fact]
    public async Task Each_vote_is_journalled_with_its_model_latency_and_cost_and_the_run_cost_adds_them_up()
    {
        var context = ScriptedContext.Approving();

        var journal = await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Equal(["pre_trade_research", "options_analysis", "risk_assessment"], journal.CouncilVotes.Select(v => v.Member));
        Assert.Equal(["deepseek-r1", "kimi-k2", "mistral-medium-3"], journal.CouncilVotes.Select(v => v.DecidedBy));
        Assert.All(journal.CouncilVotes, v => Assert.Equal((0.001m, 250L), (v.CostUsd, v.LatencyMs)));
        Assert.Equal(0.003m + 0.03m, journal.LlmCostUsd);
    }

    [Fact]
    public async Task Progress_counts_the_seats_and_their_votes_and_ends_with_every_stage_done_once()
    {
        var context = ScriptedContext.Approving();

        await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        var council = context.Progress.Where(p => p.CurrentStage == ActivityNames.ConveneCouncil).ToList();
        Assert.Equal([0, 0, 1, 2, 3], council.Select(p => p.CouncilVotesCast));
        Assert.All(council.Skip(1), p => Assert.Equal(3, p.CouncilSeats));
        var last = context.Progress[^1];
        Assert.Null(last.CurrentStage);
        Assert.Equal(
            [
                ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory,
                ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.ConveneCouncil, ActivityNames.DecideExecution,
                ActivityNames.PlaceOrder, ActivityNames.RecordRun,
            ],
            last.StagesDone);
        Assert.Equal((3, 3), (last.CouncilSeats, last.CouncilVotesCast));
    }

    [Fact]
    public async Task A_failing_stage_stays_current_in_the_progress_and_is_journalled_as_failed()
    {
        var context = ScriptedContext.Approving().Fail(ActivityNames.AssessRisk);

        var journal = await EntryOrchestration.RunAsync(context, new RunRequest { Trigger = RunTriggers.Timer });

        Assert.Equal(RunEndReasons.StageFailed, journal.EndReason);
        Assert.Contains(context.Progress, p => p.CurrentStage == ActivityNames.AssessRisk);
        Assert.DoesNotContain(ActivityNames.AssessRisk, context.Progress[^1].StagesDone);
        Assert.Equal(ActivityNames.RecordRun, context.Progress[^1].StagesDone[^1]);
    }
}
