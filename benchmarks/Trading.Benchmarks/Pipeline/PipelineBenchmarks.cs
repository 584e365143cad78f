using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Pipeline.Council;
using Trading.Pipeline.Orchestration;

namespace Trading.Benchmarks.Pipeline;

/// <summary>The pipeline's own work per run: reading model answers, counting votes, and one orchestration pass.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private static readonly CondorProposal Proposal = new() { MidCredit = 1.20m, NaturalCredit = 0.95m, WingWidthDollars = 5m };
    private readonly ExecutionOptions _limits = new();
    private readonly CouncilOptions _council = new();
    private JsonObject _vote = null!;
    private JsonObject _decision = null!;
    private CouncilVote[] _votes = [];

    [GlobalSetup]
    public void Setup()
    {
        _vote = JsonNode.Parse("""{"approve":true,"confidence":0.72,"reasons":["credit 24% of width","calm regime"],"risks":["event risk"]}""")!.AsObject();
        _decision = JsonNode.Parse("""{"execute":true,"limitPrice":1.15,"reason":"council approved"}""")!.AsObject();
        _votes =
        [
            ModelAnswers.ReadVote("pre_trade_research", "deepseek-r1", _vote),
            ModelAnswers.ReadVote("options_analysis", "kimi-k2", _vote),
            new CouncilVote { Member = "risk_assessment", Valid = false, AbstainReason = "malformed" },
        ];
    }

    [Benchmark]
    public CouncilVote ReadVote() => ModelAnswers.ReadVote("options_analysis", "kimi-k2", _vote);

    [Benchmark]
    public ExecutionDecision ReadDecision() => ModelAnswers.ReadDecision("claude-opus", _decision, Proposal, _limits);

    [Benchmark]
    public CouncilVerdict Aggregate() => CouncilAggregation.Aggregate(_votes, _council, "models", []);

    [Benchmark]
    public Task<Trading.Pipeline.Journal.RunJournal> EntryOrchestrationPass() =>
        EntryOrchestration.RunAsync(new CannedContext(), new RunRequest { Trigger = RunTriggers.Timer });

    /// <summary>Answers every activity from memory: what is left is the orchestration's own sequencing and journal.</summary>
    private sealed class CannedContext : IOrchestrationContext
    {
        private static readonly Dictionary<string, object> Answers = new()
        {
            [ActivityNames.MarketSnapshot] = new MarketSnapshot { Regime = "Calm", EntryAllowed = true, Summary = "s" },
            [ActivityNames.AnalyzeMarket] = new MarketAnalysis { Outlook = "neutral" },
            [ActivityNames.SelectStrategy] = new StrategySelection { Variant = "d15-w5", Label = "ENTER", Proposal = Proposal },
            [ActivityNames.RecallTradeMemory] = new MemoryRecall(),
            [ActivityNames.RetrieveLessons] = new LessonsRecall(),
            [ActivityNames.AssessRisk] = new RiskAssessment { Approved = true, Contracts = 1 },
            [ActivityNames.SeatCouncil] = new CouncilSeating
            {
                Mode = OfflineRules.Label,
                Seats = [new CouncilSeat { Member = "pre_trade_research" }, new CouncilSeat { Member = "options_analysis" }, new CouncilSeat { Member = "risk_assessment" }],
                QuorumApprovals = 2,
                MinApprovalConfidence = 0.6,
            },
            [ActivityNames.CastVote] = new CouncilBallot { Vote = new CouncilVote { Member = "seat", DecidedBy = OfflineRules.Label, Valid = true, Approve = true, Confidence = 0.8 } },
            [ActivityNames.DecideExecution] = new ExecutionDecision { Execute = true, LimitCredit = 1.15m, Valid = true },
            [ActivityNames.PlaceOrder] = new OrderPlacement { Placed = true, FilledQuantity = 1, OrderId = "o" },
        };

        public string InstanceId => "entry-2026-11-23T15:00Z";

        public DateTime CurrentUtcDateTime => new(2026, 11, 23, 15, 0, 0, DateTimeKind.Utc);

        public ILogger ReplaySafeLogger => NullLogger.Instance;

        public Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry) =>
            Task.FromResult((TOut)(name == ActivityNames.RecordRun ? input : Answers[name]));

        public void SetProgress(RunProgress progress)
        {
            // An engine would publish it; the benchmark measures the orchestration's own work.
        }
    }
}
