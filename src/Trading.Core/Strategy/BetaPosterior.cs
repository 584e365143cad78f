namespace Trading.Core.Strategy;

/// <summary>
/// Beta–Bernoulli evidence for one strategy variant: a closed win adds 1 to <see cref="Alpha"/>, a loss 1 to <see cref="Beta"/>.
/// Optionally old evidence decays toward the prior with a half-life, so a variant that stopped working is re-explored.
/// Immutable; every update returns a new value (JSON-friendly for storage and Durable payloads).
/// </summary>
/// <param name="VariantId">The <see cref="Condors.StrategyVariant.Id"/> this evidence belongs to.</param>
/// <param name="Alpha">Prior alpha plus (decayed) wins.</param>
/// <param name="Beta">Prior beta plus (decayed) losses.</param>
/// <param name="ClosedTrades">Closed trades ever recorded (not decayed): the minimum-trades gate counts these.</param>
/// <param name="UpdatedAt">When the evidence was last decayed or updated; null for a fresh prior.</param>
public sealed record BetaPosterior(string VariantId, double Alpha, double Beta, int ClosedTrades, DateTimeOffset? UpdatedAt)
{
    /// <summary>A variant with no history: Beta(priorAlpha, priorBeta).</summary>
    public static BetaPosterior Prior(string variantId, double priorAlpha = 1, double priorBeta = 1) =>
        new(variantId, priorAlpha, priorBeta, 0, null);

    /// <summary>Posterior mean alpha / (alpha + beta).</summary>
    public double Mean => Alpha / (Alpha + Beta);

    /// <summary>Records one closed trade at <paramref name="closedAt"/>, decaying older evidence first when a half-life is set.</summary>
    public BetaPosterior Record(bool won, DateTimeOffset closedAt, double halfLifeDays = 0, double priorAlpha = 1, double priorBeta = 1)
    {
        var decayed = DecayedTo(closedAt, halfLifeDays, priorAlpha, priorBeta);
        return decayed with
        {
            Alpha = decayed.Alpha + (won ? 1 : 0),
            Beta = decayed.Beta + (won ? 0 : 1),
            ClosedTrades = ClosedTrades + 1,
            UpdatedAt = closedAt,
        };
    }

    /// <summary>
    /// Evidence above the prior shrinks by 0.5^(elapsed days / half-life). No-op without a half-life, without a previous
    /// update, or when <paramref name="now"/> is not later than <see cref="UpdatedAt"/>.
    /// </summary>
    public BetaPosterior DecayedTo(DateTimeOffset now, double halfLifeDays, double priorAlpha = 1, double priorBeta = 1)
    {
        if (halfLifeDays <= 0 || UpdatedAt is not { } last || now <= last)
        {
            return this;
        }

        var factor = Math.Pow(0.5, (now - last).TotalDays / halfLifeDays);
        return this with
        {
            Alpha = priorAlpha + Math.Max(Alpha - priorAlpha, 0) * factor,
            Beta = priorBeta + Math.Max(Beta - priorBeta, 0) * factor,
            UpdatedAt = now,
        };
    }
}
