namespace Trading.Core.Options;

/// <summary>One day's 30-day at-the-money implied volatility, in percent.</summary>
public sealed record DailyImpliedVolatility(DateOnly Date, double AtmIv30Pct);

/// <summary>
/// Implied-volatility rank: where today's 30-day at-the-money implied volatility sits within its low–high range over the
/// stored daily history (today included), 0 at the low, 100 at the high. Not a rank of realized volatility: the rule it serves
/// ("sell premium only when IV rank ≥ 20") is about what options cost now against what they have cost.
/// </summary>
public static class ImpliedVolatilityRank
{
    /// <summary>Days in the look-back window (about a year of sessions).</summary>
    public const int LookbackDays = 252;

    /// <summary>The rank in percent, or null when <paramref name="history"/> has fewer than <paramref name="minHistoryDays"/> days.</summary>
    public static double? Compute(IReadOnlyList<double> history, double current, int minHistoryDays)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count < minHistoryDays || !double.IsFinite(current))
        {
            return null;
        }

        var low = current;
        var high = current;
        foreach (var value in history.TakeLast(LookbackDays))
        {
            low = Math.Min(low, value);
            high = Math.Max(high, value);
        }

        // A flat history says nothing is elevated: rank 0 (the floor then refuses, the safe side).
        return high > low ? Math.Round((current - low) / (high - low) * 100, 2) : 0;
    }
}
