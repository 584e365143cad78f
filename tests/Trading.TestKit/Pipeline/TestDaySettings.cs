namespace Trading.TestKit.Pipeline;

/// <summary>
/// Settings for end-to-end tests on one simulated day, whose volatility, spreads and IV rank are whatever the seed made
/// them: sizing, spread limits, the IV-rank floor and whether a limit inside the spread happens to fill are not the subject,
/// so the bands are wide and the offline rules ask for the natural credit (which fills at once).
/// </summary>
public static class TestDaySettings
{
    /// <summary>The settings, to add to a test's own.</summary>
    public static IReadOnlyDictionary<string, string?> NotTheSubject { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["Risk:VolatilitySkipBelowPct"] = "1",
        // The simulated chain quotes spreads near 50% of a condor's credit; core refuses above 25% by default.
        ["Condor:MaxRelativeSpreadPct"] = "80",
        ["Risk:FullSizeVolatilityFromPct"] = "2",
        ["Risk:FullSizeVolatilityBelowPct"] = "90",
        ["Risk:VolatilityHaltAbovePct"] = "95",
        ["Risk:MinIvRankPct"] = "0",
        ["Execution:OfflineCreditBelowMidDollars"] = "1",
    };
}
