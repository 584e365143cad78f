namespace Trading.Pipeline.Journal;

/// <summary>Why a run ended. Stable codes: dashboards and tests match on them.</summary>
public static class RunEndReasons
{
    public const string Traded = "traded";
    public const string OrderWorking = "order-working";
    public const string OrderRejected = "order-rejected";
    public const string Halted = "halted";
    public const string EntryNotAllowed = "entry-not-allowed";
    public const string NoCondor = "no-condor";
    public const string MemoryStrongAvoid = "memory-strong-avoid";
    public const string LessonBlocks = "lesson-blocks";
    public const string RiskRejected = "risk-rejected";
    public const string CouncilDeclined = "council-declined";
    public const string DecisionDeclined = "decision-declined";
    public const string DryRun = "dry-run";
    public const string StageFailed = "stage-failed";
    public const string PositionsManaged = "positions-managed";
}

/// <summary>One stage's verdict in the journal.</summary>
public sealed record StageRecord
{
    public string Stage { get; init; } = string.Empty;

    /// <summary>A one-word verdict: ok, stop, approve, decline, failed, ENTER, STRONG_AVOID…</summary>
    public string Verdict { get; init; } = string.Empty;

    public string Summary { get; init; } = string.Empty;
}

/// <summary>
/// One record per run: answers "why did it trade, or not?". Written by the RecordRun activity at the end of every run,
/// including early stops and stage failures.
/// </summary>
public sealed record RunJournal
{
    public string InstanceId { get; init; } = string.Empty;

    /// <summary>entry or manage.</summary>
    public string Kind { get; init; } = "entry";

    /// <summary>timer, manual or backtest.</summary>
    public string Trigger { get; init; } = string.Empty;

    public bool DryRun { get; init; }

    /// <summary>When the run started by the run's own clock (the market's: a local simulated run may be days ahead of the wall clock).</summary>
    public DateTime StartedUtc { get; init; }

    public DateTime EndedUtc { get; init; }

    /// <summary>When the journal was first recorded, by the wall clock: the order runs were made in. Set by the store.</summary>
    public DateTimeOffset? RecordedUtc { get; init; }

    /// <summary>One of <see cref="RunEndReasons"/>.</summary>
    public string EndReason { get; init; } = string.Empty;

    /// <summary>A sentence expanding <see cref="EndReason"/>.</summary>
    public string EndDetail { get; init; } = string.Empty;

    public IReadOnlyList<StageRecord> Stages { get; init; } = [];

    /// <summary>The council members' votes (empty when the run stopped before the council): model comparisons read them.</summary>
    public IReadOnlyList<Orchestration.CouncilVote> CouncilVotes { get; init; } = [];

    /// <summary>"models" or "offline-rules" (who made the council and final decisions).</summary>
    public string DecisionMode { get; init; } = string.Empty;

    /// <summary>Distinct models that served calls in this run (or "offline-rules").</summary>
    public IReadOnlyList<string> ModelsUsed { get; init; } = [];

    public decimal LlmCostUsd { get; init; }

    public string? ClientOrderId { get; init; }

    public string? OrderId { get; init; }

    public string? OrderStatus { get; init; }

    public int FilledQuantity { get; init; }

    public decimal? FilledCredit { get; init; }

    public bool MarketSimulated { get; init; }

    public bool BrokerSimulated { get; init; }
}
