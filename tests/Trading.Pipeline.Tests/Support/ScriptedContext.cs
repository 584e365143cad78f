using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Tests.Support;

/// <summary>
/// An orchestration context that answers activities from a script (or from a recorded log), round-tripping every payload
/// through JSON as Durable Task does, and records the calls made.
/// </summary>
public sealed class ScriptedContext : IOrchestrationContext
{
    private readonly Dictionary<string, Func<string, object>> _answers = new(StringComparer.Ordinal);
    private readonly List<(string Name, string OutputJson)>? _recorded;
    private readonly HashSet<int> _replayed = [];

    public ScriptedContext(string instanceId = "entry-2026-11-23T15:00Z")
    {
        InstanceId = instanceId;
    }

    /// <summary>
    /// Replays a recorded activity log in order (the council's votes, which complete in any order, by their seat); a different
    /// call sequence fails.
    /// </summary>
    public ScriptedContext(string instanceId, IEnumerable<(string Name, string OutputJson)> recorded)
        : this(instanceId)
    {
        _recorded = [.. recorded];
    }

    public string InstanceId { get; }

    public DateTime CurrentUtcDateTime { get; } = new(2026, 11, 23, 15, 0, 0, DateTimeKind.Utc);

    public ILogger ReplaySafeLogger => NullLogger.Instance;

    public List<(string Name, string InputJson, ActivityRetry Retry)> Calls { get; } = [];

    /// <summary>Every progress the orchestration published, in order.</summary>
    public List<RunProgress> Progress { get; } = [];

    public void SetProgress(RunProgress progress) => Progress.Add(progress);

    /// <summary>The output JSON of each call, in order.</summary>
    public List<string> Outputs { get; } = [];

    public ScriptedContext On<TOut>(string name, TOut output)
        where TOut : notnull
    {
        _answers[name] = _ => output;
        return this;
    }

    /// <summary>Answers <paramref name="name"/> from its input JSON (throw <see cref="ActivityFailedException"/> to fail that call).</summary>
    public ScriptedContext When(string name, Func<string, object> answer)
    {
        _answers[name] = answer;
        return this;
    }

    public ScriptedContext Fail(string name)
    {
        _answers[name] = _ => throw new ActivityFailedException(name, "scripted failure");
        return this;
    }

    public Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        var inputJson = JsonSerializer.Serialize(input, input.GetType(), StateJson.Options);
        Calls.Add((name, inputJson, retry));
        string outputJson;
        if (_recorded is not null)
        {
            var index = name == ActivityNames.CastVote
                ? Enumerable.Range(0, _recorded.Count).FirstOrDefault(
                    i => !_replayed.Contains(i) && _recorded[i].Name == name && MemberOf(_recorded[i].OutputJson) == ((VoteInput)input).Seat.Member, -1)
                : Enumerable.Range(0, _recorded.Count).FirstOrDefault(i => !_replayed.Contains(i), -1);
            Assert.True(index >= 0, $"no recorded {name} for this call");
            Assert.Equal(_recorded[index].Name, name);
            _replayed.Add(index);
            outputJson = _recorded[index].OutputJson;
        }
        else if (name == ActivityNames.RecordRun)
        {
            outputJson = inputJson;
        }
        else
        {
            var answer = _answers.TryGetValue(name, out var script) ? script(inputJson) : throw new InvalidOperationException($"No script for {name}.");
            outputJson = JsonSerializer.Serialize(answer, answer.GetType(), StateJson.Options);
        }

        Outputs.Add(outputJson);
        return Task.FromResult(JsonSerializer.Deserialize<TOut>(outputJson, StateJson.Options)!);
    }

    private static string MemberOf(string ballotJson) => JsonSerializer.Deserialize<CouncilBallot>(ballotJson, StateJson.Options)!.Vote.Member;

    /// <summary>The journal passed to RecordRun.</summary>
    public RunJournal RecordedJournal =>
        JsonSerializer.Deserialize<RunJournal>(Calls.Single(c => c.Name == ActivityNames.RecordRun).InputJson, StateJson.Options)!;

    /// <summary>Three seats on three models, quorum 2, confidence 0.6.</summary>
    public static CouncilSeating Seating { get; } = new()
    {
        Mode = "models",
        Seats =
        [
            new CouncilSeat { Member = "pre_trade_research", PlannedModel = "deepseek-r1", AvoidModels = ["kimi-k2", "mistral-medium-3"] },
            new CouncilSeat { Member = "options_analysis", PlannedModel = "kimi-k2", AvoidModels = ["deepseek-r1", "mistral-medium-3"] },
            new CouncilSeat { Member = "risk_assessment", PlannedModel = "mistral-medium-3", AvoidModels = ["deepseek-r1", "kimi-k2"] },
        ],
        QuorumApprovals = 2,
        MinApprovalConfidence = 0.6,
    };

    /// <summary>The seat's vote on its planned model, costing $0.001 and taking 250 ms.</summary>
    public static CouncilBallot Ballot(string voteInputJson, bool approve)
    {
        var seat = JsonSerializer.Deserialize<VoteInput>(voteInputJson, StateJson.Options)!.Seat;
        return new CouncilBallot
        {
            Vote = new CouncilVote
            {
                Member = seat.Member, DecidedBy = seat.PlannedModel, Valid = true, Approve = approve, Confidence = 0.8, Reasons = ["credit fits"], CostUsd = 0.001m, LatencyMs = 250,
            },
            Usage = [new ModelUsage { TaskType = seat.Member, RequestedModel = seat.PlannedModel, ServedModel = seat.PlannedModel, CostUsd = 0.001m, LatencyMs = 250, Succeeded = true }],
        };
    }

    /// <summary>Stage results of an approving run.</summary>
    public static ScriptedContext Approving(string instanceId = "entry-2026-11-23T15:00Z")
    {
        var proposal = new CondorProposal
        {
            Symbol = "SPY",
            Expiration = new DateOnly(2026, 12, 24),
            DaysToExpiration = 31,
            MidCredit = 1.20m,
            NaturalCredit = 0.95m,
            WingWidthDollars = 5,
            MaxLossPerContractDollars = 380,
            Legs =
            [
                new ProposalLeg { Symbol = "SPY261224P00640000", Right = "put", Strike = 640, Side = "buy", Bid = 1.0m, Ask = 1.1m },
                new ProposalLeg { Symbol = "SPY261224P00645000", Right = "put", Strike = 645, Side = "sell", Bid = 1.5m, Ask = 1.6m },
                new ProposalLeg { Symbol = "SPY261224C00705000", Right = "call", Strike = 705, Side = "sell", Bid = 1.2m, Ask = 1.3m },
                new ProposalLeg { Symbol = "SPY261224C00710000", Right = "call", Strike = 710, Side = "buy", Bid = 0.5m, Ask = 0.6m },
            ],
        };
        return new ScriptedContext(instanceId)
            .On(ActivityNames.MarketSnapshot, new MarketSnapshot { Symbol = "SPY", UnderlyingPrice = 675, Regime = "Calm", EntryAllowed = true, MarketOpen = true, MarketSimulated = true, BrokerSimulated = true, Summary = "snap" })
            .On(ActivityNames.AnalyzeMarket, new MarketAnalysis { Outlook = "neutral", DecidedBy = "offline-rules", Summary = "neutral" })
            .On(ActivityNames.SelectStrategy, new StrategySelection { Variant = "d15-w5", Label = "ENTER", Proposal = proposal, Summary = "condor" })
            .On(ActivityNames.RecallTradeMemory, new MemoryRecall { Verdict = "NO_HISTORY", Summary = "none" })
            .On(ActivityNames.RetrieveLessons, new LessonsRecall { Summary = "no lessons" })
            .On(ActivityNames.AssessRisk, new RiskAssessment { Approved = true, Contracts = 2, Summary = "ok" })
            .On(ActivityNames.SeatCouncil, Seating)
            .When(ActivityNames.CastVote, input => Ballot(input, approve: true))
            .On(ActivityNames.DecideExecution, new ExecutionDecision { Execute = true, LimitCredit = 1.15m, Valid = true, DecidedBy = "claude-opus", Reason = "go", Usage = [new ModelUsage { TaskType = "trade_execution", RequestedModel = "claude-opus", ServedModel = "claude-opus", CostUsd = 0.03m, Succeeded = true }] })
            .On(ActivityNames.PlaceOrder, new OrderPlacement { Placed = true, ClientOrderId = "ic-" + instanceId, OrderId = "o-1", Status = "Filled", FilledQuantity = 2, FilledCredit = 1.17m, Summary = "filled" });
    }
}
