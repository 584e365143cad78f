using Trading.Core.Markets;

namespace Trading.Pipeline.Activities;

/// <summary>Realized volatility, its one-year rank and the regime label, from daily closes.</summary>
public static class MarketMeasures
{
    /// <summary>Annualized close-to-close volatility of the last <paramref name="sessions"/> returns, percent (0 when too few bars).</summary>
    public static double RealizedVolPct(IReadOnlyList<decimal> closes, int sessions = 20)
    {
        ArgumentNullException.ThrowIfNull(closes);
        if (closes.Count < sessions + 1)
        {
            return 0;
        }

        var returns = new double[sessions];
        for (var i = 0; i < sessions; i++)
        {
            var now = (double)closes[closes.Count - 1 - i];
            var before = (double)closes[closes.Count - 2 - i];
            returns[i] = before > 0 && now > 0 ? Math.Log(now / before) : 0;
        }

        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (sessions - 1);
        return Math.Sqrt(variance * 252) * 100;
    }

    /// <summary>Where the latest 20-session realized volatility sits among the last year's, 0–100 (50 when history is short).</summary>
    public static double RealizedVolRankPct(IReadOnlyList<decimal> closes)
    {
        ArgumentNullException.ThrowIfNull(closes);
        const int window = 20;
        if (closes.Count < window + 41)
        {
            return 50;
        }

        var vols = new List<double>();
        var start = Math.Max(window + 1, closes.Count - 252);
        for (var end = start; end <= closes.Count; end++)
        {
            vols.Add(RealizedVolPct(closes.Take(end).ToArray(), window));
        }

        var current = vols[^1];
        var min = vols.Min();
        var max = vols.Max();
        return max - min < 1e-9 ? 50 : Math.Round((current - min) / (max - min) * 100, 1);
    }

    /// <summary>Change over <paramref name="sessions"/> closes, percent.</summary>
    public static double ReturnPct(IReadOnlyList<decimal> closes, int sessions = 20)
    {
        ArgumentNullException.ThrowIfNull(closes);
        if (closes.Count < sessions + 1 || closes[^(sessions + 1)] <= 0)
        {
            return 0;
        }

        return (double)((closes[^1] / closes[^(sessions + 1)]) - 1) * 100;
    }

    /// <summary>Spike at ≥ 35% realized vol, Volatile at ≥ 20%, Trending when the 20-session move is ≥ 4%, else Calm.</summary>
    public static MarketRegime Classify(double realizedVolPct, double return20Pct) => realizedVolPct switch
    {
        >= 35 => MarketRegime.Spike,
        >= 20 => MarketRegime.Volatile,
        _ when Math.Abs(return20Pct) >= 4 => MarketRegime.Trending,
        _ => MarketRegime.Calm,
    };
}
