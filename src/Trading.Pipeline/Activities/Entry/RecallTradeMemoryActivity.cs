using Trading.Core.Memory;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>RecallTradeMemory: the verdict of past trades with a similar setup.</summary>
public sealed class RecallTradeMemoryActivity : PipelineActivity<ProposalInput, MemoryRecall>
{
    private readonly TradeMemoryStore _memory;
    private readonly MemorySettings _memorySettings;

    public RecallTradeMemoryActivity(TradeMemoryStore memory, MemorySettings settings)
        : base(ActivityNames.RecallTradeMemory)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _memorySettings = settings ?? throw new ArgumentNullException(nameof(settings));
    }

    public override async Task<MemoryRecall> RunAsync(ProposalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outcomes = await _memory.OutcomesAsync(input.Strategy.Strategy, cancellationToken);
        var assessment = TradeMemory.Assess(outcomes, new TradeMemoryQuery(input.Strategy.Variant, input.Snapshot.Symbol, input.Strategy.EntryReason), _memorySettings);
        var verdict = VerdictName(assessment.Verdict);
        return new MemoryRecall
        {
            Verdict = verdict,
            MatchLevel = assessment.Match.ToString(),
            MatchedTrades = assessment.Trades,
            WinRate = Math.Round(assessment.WinRate, 4),
            MeanPnlDollars = decimal.Round(assessment.MeanPnl, 2),
            Summary = $"{verdict}: {assessment.Message}",
        };
    }

    /// <summary>The reference system's verdict names (STRONG_AVOID…).</summary>
    public static string VerdictName(TradeMemoryVerdict verdict) => verdict switch
    {
        TradeMemoryVerdict.NoHistory => "NO_HISTORY",
        TradeMemoryVerdict.InsufficientData => "INSUFFICIENT_DATA",
        TradeMemoryVerdict.StrongProceed => "STRONG_PROCEED",
        TradeMemoryVerdict.Proceed => "PROCEED",
        TradeMemoryVerdict.Neutral => "NEUTRAL",
        TradeMemoryVerdict.Avoid => "AVOID",
        _ => "STRONG_AVOID",
    };
}
