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
                ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.ConveneCouncil, ActivityNames.DecideExecution,
                ActivityNames.PlaceOrder, ActivityNames.RecordRun,
            ],
            context.Calls.Select(c => c.Name).ToArray());
        Assert.Equal(RunEndReasons.Traded, journal.EndReason);
        Assert.Equal(0.032m, journal.LlmCostUsd);
        Assert.Equal(["deepseek-r1", "claude-opus"], journal.ModelsUsed);
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
                context.On(ActivityNames.ConveneCouncil, new CouncilVerdict { Approved = false, Reason = "no quorum" });
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
        Assert.Equal(lastStage, context.Calls[^2].Name);
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
}
