using Trading.Core.Settings;

namespace Trading.Core.Condors;

/// <summary>How iron condors are built (configuration section "Condor"). Deltas are absolute values (0.15 = 15 delta).</summary>
public sealed class CondorSettings
{
    public const string SectionName = "Condor";

    /// <summary>Absolute delta aimed for on each short strike.</summary>
    public double TargetShortDelta { get; set; } = 0.15;

    /// <summary>Lowest absolute short delta accepted.</summary>
    public double MinShortDelta { get; set; } = 0.10;

    /// <summary>Highest absolute short delta accepted.</summary>
    public double MaxShortDelta { get; set; } = 0.22;

    /// <summary>Distance from each short strike to its long wing; snapped to listed strikes, refused below half of it.</summary>
    public decimal WingWidthDollars { get; set; } = 5m;

    public int MinDte { get; set; } = 30;

    public int MaxDte { get; set; } = 45;

    /// <summary>The expiration in [MinDte, MaxDte] nearest this is chosen (ties go to the earlier one).</summary>
    public int TargetDte { get; set; } = 30;

    /// <summary>Each short leg's bid must be at least this (dollars per share).</summary>
    public decimal MinShortBidDollars { get; set; } = 0.05m;

    /// <summary>Net credit at mid must be at least this (dollars per share); a debit is always refused.</summary>
    public decimal MinCreditDollars { get; set; } = 0.50m;

    /// <summary>
    /// Largest accepted (sum of the four legs' bid–ask spreads) ÷ (net credit at mid), in percent. The reference's 5% rule applies
    /// to single legs; on a net credit four spreads add up, so the default is wider.
    /// </summary>
    public decimal MaxRelativeSpreadPct { get; set; } = 25m;

    /// <summary>Annual risk-free rate in percent, for deltas computed from implied volatility and for the probability of profit.</summary>
    public double RiskFreeRatePct { get; set; } = 4.0;

    /// <summary>Annual dividend yield of the underlying in percent.</summary>
    public double DividendYieldPct { get; set; } = 1.2;

    /// <summary>Every broken rule, naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new SettingErrors(SectionName)
            .Range(nameof(TargetShortDelta), TargetShortDelta, 0, 0.5, minExclusive: true)
            .Range(nameof(MinShortDelta), MinShortDelta, 0, 0.5, minExclusive: true)
            .Range(nameof(MaxShortDelta), MaxShortDelta, 0, 0.5, minExclusive: true)
            .Range(nameof(WingWidthDollars), WingWidthDollars, 0, 1000, minExclusive: true)
            .Range(nameof(MinDte), MinDte, 0, 3650)
            .Range(nameof(MaxDte), MaxDte, 0, 3650)
            .Range(nameof(MinShortBidDollars), MinShortBidDollars, 0, 1000)
            .Range(nameof(MinCreditDollars), MinCreditDollars, 0, 1000, minExclusive: true)
            .Range(nameof(MaxRelativeSpreadPct), MaxRelativeSpreadPct, 0, 1000, minExclusive: true)
            .Range(nameof(RiskFreeRatePct), RiskFreeRatePct, -10, 50)
            .Range(nameof(DividendYieldPct), DividendYieldPct, 0, 50);
        e.Require(MinShortDelta <= TargetShortDelta && TargetShortDelta <= MaxShortDelta, nameof(TargetShortDelta),
            $"must lie in [MinShortDelta, MaxShortDelta] = [{SettingErrors.F(MinShortDelta)}, {SettingErrors.F(MaxShortDelta)}]", SettingErrors.F(TargetShortDelta));
        e.Require(MinDte <= MaxDte, nameof(MaxDte), $"must be at least MinDte ({MinDte})", MaxDte.ToString(System.Globalization.CultureInfo.InvariantCulture));
        e.Require(MinDte <= TargetDte && TargetDte <= MaxDte, nameof(TargetDte), $"must lie in [MinDte, MaxDte] = [{MinDte}, {MaxDte}]",
            TargetDte.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return e.Errors;
    }
}
