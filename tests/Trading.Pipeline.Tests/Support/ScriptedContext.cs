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
    private readonly Queue<(string Name, string OutputJson)>? _recorded;

    public ScriptedContext(string instanceId = "entry-2026-11-23T15:00Z")
    {
        InstanceId = instanceId;
    }

    /// <summary>Replays a recorded activity log in order; a different call sequence fails.</summary>
    public ScriptedContext(string instanceId, IEnumerable<(string Name, string OutputJson)> recorded)
        : this(instanceId)
    {
        _recorded = new Queue<(string, string)>(recorded);
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
            var (recordedName, recordedOutput) = _recorded.Dequeue();
            Assert.Equal(recordedName, name);
            outputJson = recordedOutput;
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

    /// <summary>The journal passed to RecordRun.</summary>
    public RunJournal RecordedJournal =>
        JsonSerializer.Deserialize<RunJournal>(Calls.Single(c => c.Name == ActivityNames.RecordRun).InputJson, StateJson.Options)!;

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
            .On(ActivityNames.ConveneCouncil, new CouncilVerdict { Approved = true, Mode = "models", Reason = "approved", Usage = [new ModelUsage { TaskType = "pre_trade_research", RequestedModel = "deepseek-r1", ServedModel = "deepseek-r1", CostUsd = 0.002m, Succeeded = true }] })
            .On(ActivityNames.DecideExecution, new ExecutionDecision { Execute = true, LimitCredit = 1.15m, Valid = true, DecidedBy = "claude-opus", Reason = "go", Usage = [new ModelUsage { TaskType = "trade_execution", RequestedModel = "claude-opus", ServedModel = "claude-opus", CostUsd = 0.03m, Succeeded = true }] })
            .On(ActivityNames.PlaceOrder, new OrderPlacement { Placed = true, ClientOrderId = "ic-" + instanceId, OrderId = "o-1", Status = "Filled", FilledQuantity = 2, FilledCredit = 1.17m, Summary = "filled" });
    }
}
