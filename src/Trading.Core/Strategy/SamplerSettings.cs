using Trading.Core.Markets;
using Trading.Core.Settings;

namespace Trading.Core.Strategy;

/// <summary>Thompson sampling settings (configuration section "Sampler").</summary>
public sealed class SamplerSettings
{
    public const string SectionName = "Sampler";

    /// <summary>Prior Beta(alpha, beta) for a variant with no history.</summary>
    public double PriorAlpha { get; set; } = 1;

    public double PriorBeta { get; set; } = 1;

    public double CalmMultiplier { get; set; } = 1.1;

    public double TrendingMultiplier { get; set; } = 0.9;

    public double VolatileMultiplier { get; set; } = 0.8;

    public double SpikeMultiplier { get; set; } = 0.3;

    /// <summary>Score at or above which the label is ENTER.</summary>
    public double EnterThreshold { get; set; } = 0.7;

    public double ConsiderThreshold { get; set; } = 0.5;

    public double CautiousThreshold { get; set; } = 0.3;

    /// <summary>Below this many closed trades a variant is never labelled AVOID (too little evidence).</summary>
    public int MinClosedTrades { get; set; } = 5;

    /// <summary>Half-life of old evidence in days; 0 keeps all evidence forever.</summary>
    public double HalfLifeDays { get; set; }

    public double MultiplierFor(MarketRegime regime) => regime switch
    {
        MarketRegime.Calm => CalmMultiplier,
        MarketRegime.Trending => TrendingMultiplier,
        MarketRegime.Volatile => VolatileMultiplier,
        MarketRegime.Spike => SpikeMultiplier,
        _ => throw new ArgumentOutOfRangeException(nameof(regime), regime, "Unknown market regime."),
    };

    /// <summary>Every broken rule, naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new SettingErrors(SectionName)
            .Range(nameof(PriorAlpha), PriorAlpha, 0, 1e6, minExclusive: true)
            .Range(nameof(PriorBeta), PriorBeta, 0, 1e6, minExclusive: true)
            .Range(nameof(CalmMultiplier), CalmMultiplier, 0, 10)
            .Range(nameof(TrendingMultiplier), TrendingMultiplier, 0, 10)
            .Range(nameof(VolatileMultiplier), VolatileMultiplier, 0, 10)
            .Range(nameof(SpikeMultiplier), SpikeMultiplier, 0, 10)
            .Range(nameof(EnterThreshold), EnterThreshold, 0, 10)
            .Range(nameof(ConsiderThreshold), ConsiderThreshold, 0, 10)
            .Range(nameof(CautiousThreshold), CautiousThreshold, 0, 10)
            .Range(nameof(MinClosedTrades), MinClosedTrades, 0, 1_000_000)
            .Range(nameof(HalfLifeDays), HalfLifeDays, 0, 36_500);
        e.Require(CautiousThreshold <= ConsiderThreshold && ConsiderThreshold <= EnterThreshold, nameof(ConsiderThreshold),
            "must satisfy CautiousThreshold <= ConsiderThreshold <= EnterThreshold",
            $"{SettingErrors.F(CautiousThreshold)} / {SettingErrors.F(ConsiderThreshold)} / {SettingErrors.F(EnterThreshold)}");
        return e.Errors;
    }
}
