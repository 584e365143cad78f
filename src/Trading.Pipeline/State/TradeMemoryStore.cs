using Trading.Core.Memory;
using Trading.Core.Strategy;

namespace Trading.Pipeline.State;

/// <summary>The sampler's persisted Beta posterior for one variant (derived from its recorded outcomes).</summary>
public sealed record SamplerArm
{
    public string Variant { get; init; } = string.Empty;

    public double Alpha { get; init; } = 1;

    public double Beta { get; init; } = 1;

    public int ClosedTrades { get; init; }

    public DateTimeOffset? UpdatedUtc { get; init; }

    public BetaPosterior ToPosterior() => new(Variant, Alpha, Beta, ClosedTrades, UpdatedUtc);
}

/// <summary>
/// Trade memory and sampler state. An outcome is stored once, keyed by its position (insert-if-absent), and a variant's
/// posterior is recomputed from the stored outcomes, so a retried or resumed recording can never count a trade twice.
/// </summary>
public sealed class TradeMemoryStore
{
    private readonly PipelineTables _tables;
    private readonly SamplerSettings _sampler;

    public TradeMemoryStore(PipelineTables tables, SamplerSettings sampler)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
    }

    /// <summary>Records the outcome under <paramref name="strategy"/>; false when this position's outcome was recorded before.</summary>
    public async Task<bool> RecordAsync(string strategy, TradeOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var added = await _tables.TradeOutcomes.TryAddAsync(strategy, outcome.PositionId, outcome, cancellationToken);
        await RefreshArmAsync(strategy, outcome.StrategyVariantId, cancellationToken);
        return added;
    }

    /// <summary>Every recorded outcome of a strategy.</summary>
    public async Task<IReadOnlyList<TradeOutcome>> OutcomesAsync(string strategy, CancellationToken cancellationToken) =>
        (await _tables.TradeOutcomes.QueryPartitionAsync<TradeOutcome>(strategy, null, cancellationToken)).Select(e => e.Value).ToArray();

    /// <summary>The persisted arm of a variant (the prior when it has no history).</summary>
    public async Task<SamplerArm> GetArmAsync(string strategy, string variant, CancellationToken cancellationToken) =>
        (await _tables.Sampler.GetAsync<SamplerArm>(strategy, variant, cancellationToken))?.Value
        ?? new SamplerArm { Variant = variant, Alpha = _sampler.PriorAlpha, Beta = _sampler.PriorBeta };

    /// <summary>Recomputes a variant's arm from its outcomes in closing order (idempotent) and stores it.</summary>
    public async Task<SamplerArm> RefreshArmAsync(string strategy, string variant, CancellationToken cancellationToken)
    {
        var posterior = BetaPosterior.Prior(variant, _sampler.PriorAlpha, _sampler.PriorBeta);
        foreach (var outcome in (await OutcomesAsync(strategy, cancellationToken)).Where(o => o.StrategyVariantId == variant).OrderBy(o => o.ClosedAt))
        {
            posterior = posterior.Record(outcome.Won, outcome.ClosedAt, _sampler.HalfLifeDays, _sampler.PriorAlpha, _sampler.PriorBeta);
        }

        var arm = new SamplerArm
        {
            Variant = variant,
            Alpha = posterior.Alpha,
            Beta = posterior.Beta,
            ClosedTrades = posterior.ClosedTrades,
            UpdatedUtc = posterior.UpdatedAt,
        };
        await _tables.Sampler.UpsertAsync(strategy, variant, arm, cancellationToken);
        return arm;
    }
}
