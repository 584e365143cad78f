using Trading.Core.Memory;
using Trading.Core.Strategy;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Activities.Entry;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Dashboard;

/// <summary>One variant's sampler posterior and closed-trade record.</summary>
/// <param name="Variant">Variant id (e.g. d15-w5).</param>
/// <param name="Configured">True when <c>Pipeline:Variants</c> still lists it.</param>
/// <param name="Alpha">Posterior alpha as stored (decay applied at its last update).</param>
/// <param name="Beta">Posterior beta.</param>
/// <param name="Mean">alpha / (alpha + beta), to 3 decimals (as shown).</param>
/// <param name="BandLow">Lower bound of the 90% equal-tailed credible band.</param>
/// <param name="BandHigh">Upper bound of that band.</param>
/// <param name="ClosedTrades">Closed trades recorded for the variant.</param>
/// <param name="Wins">Of which won.</param>
/// <param name="RealizedPnlDollars">Their summed P&amp;L.</param>
/// <param name="MemoryVerdict">Trade memory's verdict for a new SPY entry of this variant (as the pipeline would ask it).</param>
/// <param name="MemoryMessage">The statistics behind the verdict.</param>
public sealed record VariantPosterior(
    string Variant, bool Configured, double Alpha, double Beta, double Mean, double BandLow, double BandHigh,
    int ClosedTrades, int Wins, decimal RealizedPnlDollars, string MemoryVerdict, string MemoryMessage);

/// <summary>The strategy panel.</summary>
/// <param name="Strategy">The strategy traded (iron_condor).</param>
/// <param name="CredibleLevel">The band's level (0.9).</param>
/// <param name="Variants">One row per configured or traded variant.</param>
public sealed record StrategyPanel(string Strategy, double CredibleLevel, IReadOnlyList<VariantPosterior> Variants);

/// <summary>Builds <see cref="StrategyPanel"/> from the sampler state and the trade memory.</summary>
public sealed class StrategyQuery
{
    /// <summary>The credible level of the band drawn around each posterior mean.</summary>
    public const double CredibleLevel = 0.9;

    private readonly TradeMemoryStore _memory;
    private readonly PipelineOptions _pipeline;
    private readonly MemorySettings _memorySettings;

    public StrategyQuery(TradeMemoryStore memory, PipelineOptions pipeline, MemorySettings memorySettings)
    {
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _memorySettings = memorySettings ?? throw new ArgumentNullException(nameof(memorySettings));
    }

    /// <summary>The panel now.</summary>
    public async Task<StrategyPanel> ReadAsync(CancellationToken cancellationToken)
    {
        var strategy = _pipeline.Strategy;
        var outcomes = await _memory.OutcomesAsync(strategy, cancellationToken);
        var configured = _pipeline.VariantList.Select(v => v.Id).ToArray();
        var variants = configured.Union(outcomes.Select(o => o.StrategyVariantId), StringComparer.Ordinal).ToArray();
        var rows = new List<VariantPosterior>();
        foreach (var variant in variants)
        {
            var arm = await _memory.GetArmAsync(strategy, variant, cancellationToken);
            var band = BetaCredibleInterval.Of(arm.Alpha, arm.Beta, CredibleLevel);
            var closed = outcomes.Where(o => o.StrategyVariantId == variant).ToArray();
            var memory = TradeMemory.Assess(outcomes, new TradeMemoryQuery(variant, _pipeline.Symbol, string.Empty), _memorySettings);
            rows.Add(new VariantPosterior(
                variant, configured.Contains(variant, StringComparer.Ordinal), arm.Alpha, arm.Beta, Math.Round(arm.ToPosterior().Mean, 3),
                Math.Round(band.Low, 3), Math.Round(band.High, 3), closed.Length, closed.Count(o => o.Won), closed.Sum(o => o.Pnl),
                RecallTradeMemoryActivity.VerdictName(memory.Verdict), memory.Message));
        }

        return new StrategyPanel(strategy, CredibleLevel, rows);
    }
}
