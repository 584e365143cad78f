namespace Trading.Pipeline.Orchestration;

// Activity inputs and outputs. Plain records with public init properties and defaults: they cross the Durable Task
// serializer (System.Text.Json) on both engines, so no polymorphism and no computed state.

/// <summary>How a run was started.</summary>
public static class RunTriggers
{
    public const string Timer = "timer";
    public const string Manual = "manual";
    public const string Backtest = "backtest";

    public static bool IsKnown(string? trigger) => trigger is Timer or Manual or Backtest;
}

/// <summary>The input of the entry orchestration.</summary>
public sealed record RunRequest
{
    public string RunId { get; init; } = string.Empty;

    /// <summary>timer, manual or backtest.</summary>
    public string Trigger { get; init; } = RunTriggers.Manual;

    /// <summary>Stop before PlaceOrder.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// The market's time when the run was started, for hosts whose market clock is not the engine's (the CLI's simulated
    /// market runs at the next entry window, days from now): the orchestration's clock starts there. Null: the engine's clock.
    /// </summary>
    public DateTimeOffset? MarketTimeUtc { get; init; }
}

/// <summary>A model call's bookkeeping, copied into the journal.</summary>
public sealed record ModelUsage
{
    public string TaskType { get; init; } = string.Empty;

    public string RequestedModel { get; init; } = string.Empty;

    public string? ServedModel { get; init; }

    public decimal CostUsd { get; init; }

    /// <summary>The call's wall time through the gateway (fallbacks and retries included), milliseconds.</summary>
    public long LatencyMs { get; init; }

    public bool Succeeded { get; init; }

    public string? FailureReason { get; init; }
}

/// <summary>The market at the start of a run, and whether an entry is allowed at all.</summary>
public sealed record MarketSnapshot
{
    public string RunId { get; init; } = string.Empty;

    public string Symbol { get; init; } = "SPY";

    public DateTimeOffset AsOf { get; init; }

    public decimal UnderlyingPrice { get; init; }

    /// <summary>Calm, Trending, Volatile or Spike.</summary>
    public string Regime { get; init; } = "Calm";

    /// <summary>Annualized realized volatility over 20 sessions, percent.</summary>
    public double RealizedVol20Pct { get; init; }

    /// <summary>Implied volatility of the nearest-the-money contract at the target expiry, percent (0 when unknown).</summary>
    public double AtmImpliedVolPct { get; init; }

    /// <summary>Where today's 20-day realized volatility ranks within the last year, 0–100 (a stand-in for IV rank).</summary>
    public double RealizedVolRankPct { get; init; }

    /// <summary>Change of the close over 20 sessions, percent.</summary>
    public double Return20Pct { get; init; }

    public bool MarketOpen { get; init; }

    public decimal Equity { get; init; }

    public bool Halted { get; init; }

    public string? HaltReason { get; init; }

    /// <summary>False when the run must not look for an entry (halted, market closed); <see cref="BlockReason"/> says why.</summary>
    public bool EntryAllowed { get; init; }

    public string? BlockReason { get; init; }

    public bool MarketSimulated { get; init; }

    public bool BrokerSimulated { get; init; }

    public string Summary { get; init; } = string.Empty;
}

/// <summary>Regime and technical read of the market (a MEDIUM model task, or the offline rules).</summary>
public sealed record MarketAnalysis
{
    /// <summary>neutral, bullish, bearish or unknown.</summary>
    public string Outlook { get; init; } = "unknown";

    public string Summary { get; init; } = string.Empty;

    /// <summary>"offline-rules" or the model that answered.</summary>
    public string DecidedBy { get; init; } = string.Empty;

    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];
}

/// <summary>Input of stages that only need the run and the snapshot.</summary>
public sealed record SnapshotInput
{
    public RunRequest Run { get; init; } = new();

    public MarketSnapshot Snapshot { get; init; } = new();
}

/// <summary>One leg of a proposed or held iron condor.</summary>
public sealed record ProposalLeg
{
    /// <summary>OCC symbol.</summary>
    public string Symbol { get; init; } = string.Empty;

    /// <summary>put or call.</summary>
    public string Right { get; init; } = string.Empty;

    public decimal Strike { get; init; }

    /// <summary>sell or buy (for the opening order).</summary>
    public string Side { get; init; } = string.Empty;

    public decimal Bid { get; init; }

    public decimal Ask { get; init; }

    public double? Delta { get; init; }
}

/// <summary>An iron condor proposed for this run: four legs, one expiry, credit per share in dollars.</summary>
public sealed record CondorProposal
{
    public string Symbol { get; init; } = "SPY";

    public DateOnly Expiration { get; init; }

    public int DaysToExpiration { get; init; }

    public decimal UnderlyingPrice { get; init; }

    /// <summary>Short delta the variant targeted (0.15).</summary>
    public double TargetShortDelta { get; init; }

    public double ProbabilityOfProfit { get; init; }

    public IReadOnlyList<ProposalLeg> Legs { get; init; } = [];

    /// <summary>Mid credit per share (sum of mids, shorts minus longs).</summary>
    public decimal MidCredit { get; init; }

    /// <summary>Credit if crossing every spread (short bids minus long asks).</summary>
    public decimal NaturalCredit { get; init; }

    public decimal WingWidthDollars { get; init; }

    /// <summary>(width − mid credit) × 100 per contract.</summary>
    public decimal MaxLossPerContractDollars { get; init; }

    /// <summary>Widest leg spread as a percent of its mid.</summary>
    public decimal MaxLegSpreadPct { get; init; }
}

/// <summary>The Thompson draw and the condor built for the chosen variant.</summary>
public sealed record StrategySelection
{
    public string Strategy { get; init; } = "iron_condor";

    public string Variant { get; init; } = string.Empty;

    public double Draw { get; init; }

    public double RegimeScaledScore { get; init; }

    /// <summary>ENTER, CONSIDER, CAUTIOUS or AVOID.</summary>
    public string Label { get; init; } = string.Empty;

    public int ClosedTradesForVariant { get; init; }

    /// <summary>Null when no condor could be built from the chain.</summary>
    public CondorProposal? Proposal { get; init; }

    public string EntryReason { get; init; } = string.Empty;

    /// <summary>The 30-day at-the-money implied volatility proxy of the chain, percent (null when it could not be computed).</summary>
    public double? AtmVolatilityPct { get; init; }

    public string Summary { get; init; } = string.Empty;
}

/// <summary>Input of stages that look at the proposal.</summary>
public sealed record ProposalInput
{
    public RunRequest Run { get; init; } = new();

    public MarketSnapshot Snapshot { get; init; } = new();

    public StrategySelection Strategy { get; init; } = new();
}

/// <summary>What past trades with a similar setup say.</summary>
public sealed record MemoryRecall
{
    /// <summary>NO_HISTORY, INSUFFICIENT_DATA, STRONG_PROCEED, PROCEED, NEUTRAL, AVOID or STRONG_AVOID.</summary>
    public string Verdict { get; init; } = "NO_HISTORY";

    /// <summary>strategy+entry_reason, strategy+symbol, strategy or none.</summary>
    public string MatchLevel { get; init; } = "none";

    public int MatchedTrades { get; init; }

    public double WinRate { get; init; }

    public decimal MeanPnlDollars { get; init; }

    public string Summary { get; init; } = string.Empty;
}

/// <summary>A lesson shown to the council and the final decision.</summary>
public sealed record LessonReference
{
    public string Id { get; init; } = string.Empty;

    public string Title { get; init; } = string.Empty;

    public string Severity { get; init; } = string.Empty;

    public string Status { get; init; } = string.Empty;

    public double Score { get; init; }

    public string Prevention { get; init; } = string.Empty;
}

/// <summary>Retrieved lessons; <see cref="Blocked"/> when a CRITICAL unresolved lesson names the strategy or ticker.</summary>
public sealed record LessonsRecall
{
    public IReadOnlyList<LessonReference> Lessons { get; init; } = [];

    public bool Blocked { get; init; }

    public string? BlockingLesson { get; init; }

    public string Summary { get; init; } = string.Empty;

    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];
}

/// <summary>The hard-limit check. No model can override a rejection.</summary>
public sealed record RiskAssessment
{
    public bool Approved { get; init; }

    public int Contracts { get; init; }

    /// <summary>The volatility band the sizing used (TooLow, Quiet, FullSize, Elevated, Halt), when known.</summary>
    public string? VolatilityBand { get; init; }

    /// <summary>The drawdown limit was reached: trading stays halted until a person resumes it.</summary>
    public bool HaltedUntilResumed { get; init; }

    /// <summary>
    /// The most the whole approved position may lose, dollars (contracts × the worst-case max loss at the natural credit).
    /// Execution re-checks the order at its actual limit against it.
    /// </summary>
    public decimal MaxLossBudgetDollars { get; init; }

    /// <summary>Implied-volatility rank (0–100) of today's 30-day ATM IV over the stored history; null when unknown.</summary>
    public double? IvRankPct { get; init; }

    public IReadOnlyList<string> Violations { get; init; } = [];

    public string Summary { get; init; } = string.Empty;
}

/// <summary>Everything the council and the final decision see.</summary>
public sealed record DeliberationInput
{
    public RunRequest Run { get; init; } = new();

    public MarketSnapshot Snapshot { get; init; } = new();

    public MarketAnalysis Analysis { get; init; } = new();

    public StrategySelection Strategy { get; init; } = new();

    public MemoryRecall Memory { get; init; } = new();

    public LessonsRecall Lessons { get; init; } = new();

    public RiskAssessment Risk { get; init; } = new();

    /// <summary>Set for the final decision: the council's votes.</summary>
    public CouncilVerdict? Council { get; init; }
}

/// <summary>One council member's vote as validated by the pipeline.</summary>
public sealed record CouncilVote
{
    /// <summary>The BATS task type the member speaks for (e.g. pre_trade_research).</summary>
    public string Member { get; init; } = string.Empty;

    /// <summary>"offline-rules" or the model that answered.</summary>
    public string DecidedBy { get; init; } = string.Empty;

    /// <summary>False when the answer was missing, malformed or out of range: the member abstains.</summary>
    public bool Valid { get; init; }

    public bool Approve { get; init; }

    public double Confidence { get; init; }

    public IReadOnlyList<string> Reasons { get; init; } = [];

    public IReadOnlyList<string> Risks { get; init; } = [];

    /// <summary>Why the vote was discarded, when it was.</summary>
    public string? AbstainReason { get; init; }

    /// <summary>What the seat's model call cost (0 offline).</summary>
    public decimal CostUsd { get; init; }

    /// <summary>How long the seat's model call took, milliseconds (0 offline).</summary>
    public long LatencyMs { get; init; }
}

/// <summary>SeatCouncil's result: who sits for this run, on which model, and the rule the votes are joined by.</summary>
public sealed record CouncilSeating
{
    /// <summary>"models" or "offline-rules".</summary>
    public string Mode { get; init; } = string.Empty;

    public IReadOnlyList<CouncilSeat> Seats { get; init; } = [];

    /// <summary>Valid approvals needed (Council:QuorumApprovals at seating).</summary>
    public int QuorumApprovals { get; init; }

    /// <summary>The approvers' mean confidence needed (Council:MinApprovalConfidence at seating).</summary>
    public double MinApprovalConfidence { get; init; }
}

/// <summary>One council seat: the member (a BATS task type) and the models it plans on and avoids.</summary>
public sealed record CouncilSeat
{
    public string Member { get; init; } = string.Empty;

    /// <summary>The model BATS plans for the member; empty offline.</summary>
    public string PlannedModel { get; init; } = string.Empty;

    /// <summary>The models planned for the other seats: this seat's call must not be served by them, fallbacks included.</summary>
    public IReadOnlyList<string> AvoidModels { get; init; } = [];
}

/// <summary>CastVote's input: the deliberation, the seat that votes on it, and how the council decides.</summary>
public sealed record VoteInput
{
    public DeliberationInput Deliberation { get; init; } = new();

    public CouncilSeat Seat { get; init; } = new();

    /// <summary>The seating's mode: "models" or "offline-rules".</summary>
    public string Mode { get; init; } = string.Empty;
}

/// <summary>CastVote's result: the seat's vote and the model call it cost.</summary>
public sealed record CouncilBallot
{
    public CouncilVote Vote { get; init; } = new();

    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];
}

/// <summary>The council's aggregate.</summary>
public sealed record CouncilVerdict
{
    public bool Approved { get; init; }

    public IReadOnlyList<CouncilVote> Votes { get; init; } = [];

    public int ValidApprovals { get; init; }

    public int ValidRejections { get; init; }

    public double MeanApprovalConfidence { get; init; }

    public string Reason { get; init; } = string.Empty;

    /// <summary>"models" or "offline-rules".</summary>
    public string Mode { get; init; } = string.Empty;

    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];
}

/// <summary>The final go/no-go (CRITICAL) after validation of its limit price.</summary>
public sealed record ExecutionDecision
{
    public bool Execute { get; init; }

    /// <summary>Net credit per share to ask for, positive dollars (sent to the broker as a negative limit price).</summary>
    public decimal LimitCredit { get; init; }

    /// <summary>Contracts to send: the risk manager's size re-checked at <see cref="LimitCredit"/> (never more).</summary>
    public int Contracts { get; init; }

    public string Reason { get; init; } = string.Empty;

    /// <summary>"offline-rules" or the model that answered.</summary>
    public string DecidedBy { get; init; } = string.Empty;

    /// <summary>False when the answer was malformed or its limit price broke a rule (then <see cref="Execute"/> is false).</summary>
    public bool Valid { get; init; }

    public IReadOnlyList<ModelUsage> Usage { get; init; } = [];
}

/// <summary>Input of PlaceOrder.</summary>
public sealed record OrderRequest
{
    public RunRequest Run { get; init; } = new();

    public StrategySelection Strategy { get; init; } = new();

    public MarketSnapshot Snapshot { get; init; } = new();

    public MemoryRecall Memory { get; init; } = new();

    public RiskAssessment Risk { get; init; } = new();

    public int Contracts { get; init; }

    public decimal LimitCredit { get; init; }
}

/// <summary>The broker's answer to PlaceOrder.</summary>
public sealed record OrderPlacement
{
    public bool Placed { get; init; }

    public string ClientOrderId { get; init; } = string.Empty;

    public string? OrderId { get; init; }

    public string Status { get; init; } = string.Empty;

    public int FilledQuantity { get; init; }

    /// <summary>Average fill as a positive credit per share, when filled.</summary>
    public decimal? FilledCredit { get; init; }

    /// <summary>The open-position record created for this order (its id is the client order id).</summary>
    public string? PositionId { get; init; }

    public string? RejectReason { get; init; }

    public string Summary { get; init; } = string.Empty;
}
