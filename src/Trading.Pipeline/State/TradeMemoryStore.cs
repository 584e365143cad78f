namespace Trading.Pipeline.State;

/// <summary>A closed trade as trade memory and the sampler see it.</summary>
public sealed record TradeOutcome
{
    public string PositionId { get; init; } = string.Empty;

    public string Symbol { get; init; } = "SPY";

    public string Strategy { get; init; } = "iron_condor";

    public string Variant { get; init; } = string.Empty;

    public string EntryReason { get; init; } = string.Empty;

    public string EntryRegime { get; init; } = string.Empty;

    public decimal EntryCredit { get; init; }

    public decimal ExitDebit { get; init; }

    public int Contracts { get; init; }

    public decimal PnlDollars { get; init; }

    public bool Won { get; init; }

    public string ExitReason { get; init; } = string.Empty;

    public DateTimeOffset OpenedUtc { get; init; }

    public DateTimeOffset ClosedUtc { get; init; }
}

/// <summary>The sampler's Beta(alpha, beta) for one variant, derived from its recorded outcomes.</summary>
public sealed record SamplerArm
{
    public string Variant { get; init; } = string.Empty;

    public double Alpha { get; init; } = 1;

    public double Beta { get; init; } = 1;

    public int ClosedTrades { get; init; }
}

/// <summary>
/// Trade memory and sampler state. An outcome is stored once, keyed by its position (insert-if-absent), and the sampler's
/// state is recomputed from the stored outcomes, so a retried or resumed recording can never count a trade twice.
/// </summary>
public sealed class TradeMemoryStore
{
    private readonly PipelineTables _tables;

    public TradeMemoryStore(PipelineTables tables) => _tables = tables;

    /// <summary>Records the outcome; false when this position's outcome was recorded before.</summary>
    public async Task<bool> RecordAsync(TradeOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var added = await _tables.TradeOutcomes.TryAddAsync(outcome.Strategy, outcome.PositionId, outcome, cancellationToken);
        await RefreshArmAsync(outcome.Strategy, outcome.Variant, cancellationToken);
        return added;
    }

    public async Task<IReadOnlyList<TradeOutcome>> OutcomesAsync(string strategy, CancellationToken cancellationToken) =>
        (await _tables.TradeOutcomes.QueryPartitionAsync<TradeOutcome>(strategy, null, cancellationToken)).Select(e => e.Value).ToArray();

    /// <summary>The persisted arm of a variant (Beta(1,1) when it has no history).</summary>
    public async Task<SamplerArm> GetArmAsync(string strategy, string variant, CancellationToken cancellationToken) =>
        (await _tables.Sampler.GetAsync<SamplerArm>(strategy, variant, cancellationToken))?.Value ?? new SamplerArm { Variant = variant };

    /// <summary>Recomputes a variant's arm from its outcomes (idempotent) and stores it.</summary>
    public async Task<SamplerArm> RefreshArmAsync(string strategy, string variant, CancellationToken cancellationToken)
    {
        var outcomes = (await OutcomesAsync(strategy, cancellationToken)).Where(o => o.Variant == variant).ToArray();
        var wins = outcomes.Count(o => o.Won);
        var arm = new SamplerArm { Variant = variant, Alpha = 1 + wins, Beta = 1 + (outcomes.Length - wins), ClosedTrades = outcomes.Length };
        await _tables.Sampler.UpsertAsync(strategy, variant, arm, cancellationToken);
        return arm;
    }
}
