using Trading.Core.Markets;

namespace Trading.Core.Strategy;

/// <summary>The sampler's verdict on a variant.</summary>
public enum StrategyLabel
{
    Enter,
    Consider,
    Cautious,
    Avoid,
}

/// <summary>One variant's draw: the raw Beta sample, the regime multiplier, the score (their product) and its label.</summary>
public sealed record StrategyScore(
    string VariantId, double Draw, double RegimeMultiplier, double Score, StrategyLabel Label, double PosteriorMean, int ClosedTrades, string Reason);

/// <summary>The variant to trade (highest score) and every variant's score, best first.</summary>
public sealed record StrategySelection(StrategyScore Best, IReadOnlyList<StrategyScore> Scores);

/// <summary>
/// Thompson sampling over strategy variants: draw once from each variant's Beta posterior, scale by the regime, pick the highest.
/// The caller passes a seeded <see cref="Random"/> so a draw is reproducible; under Durable Functions it runs in an activity.
/// </summary>
public sealed class ThompsonSampler
{
    private readonly SamplerSettings _settings;

    public ThompsonSampler(SamplerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings.SettingsValidationException.ThrowIfAny(settings.Validate());
        _settings = settings;
    }

    /// <summary>Scores one variant. Evidence is decayed to <paramref name="now"/> first when a half-life is configured.</summary>
    public StrategyScore Score(BetaPosterior posterior, MarketRegime regime, Random random, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        ArgumentNullException.ThrowIfNull(random);
        var s = _settings;
        var p = posterior.DecayedTo(now, s.HalfLifeDays, s.PriorAlpha, s.PriorBeta);
        var draw = BetaSampling.Beta(random, p.Alpha, p.Beta);
        var multiplier = s.MultiplierFor(regime);
        var score = draw * multiplier;
        var (label, reason) = LabelFor(score, p.ClosedTrades);
        return new StrategyScore(p.VariantId, draw, multiplier, score, label, p.Mean, p.ClosedTrades, reason);
    }

    /// <summary>The label for a score, applying the minimum-trades gate (too little evidence is never AVOID, only CAUTIOUS).</summary>
    public (StrategyLabel Label, string Reason) LabelFor(double score, int closedTrades)
    {
        var s = _settings;
        var label = score >= s.EnterThreshold ? StrategyLabel.Enter
            : score >= s.ConsiderThreshold ? StrategyLabel.Consider
            : score >= s.CautiousThreshold ? StrategyLabel.Cautious
            : StrategyLabel.Avoid;
        if (label == StrategyLabel.Avoid && closedTrades < s.MinClosedTrades)
        {
            return (StrategyLabel.Cautious,
                FormattableString.Invariant($"score {score:F3} is below {s.CautiousThreshold} but only {closedTrades} closed trade(s) (< {s.MinClosedTrades}): CAUTIOUS, not AVOID"));
        }

        return (label, FormattableString.Invariant($"score {score:F3} → {label}"));
    }

    /// <summary>Draws for every variant (in the order given, so a seed reproduces the result) and picks the highest score.</summary>
    public StrategySelection Select(IReadOnlyList<BetaPosterior> posteriors, MarketRegime regime, Random random, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(posteriors);
        if (posteriors.Count == 0)
        {
            throw new ArgumentException("At least one strategy variant is needed.", nameof(posteriors));
        }

        var scores = posteriors.Select(p => Score(p, regime, random, now)).ToList();
        var ordered = scores.OrderByDescending(s => s.Score).ToArray(); // stable: ties keep the given order
        return new StrategySelection(ordered[0], ordered);
    }
}
