using System.Globalization;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>
/// Trade memory's verdict from past outcomes: match on strategy+entry reason, then strategy+symbol, then strategy (the first
/// level with any trade wins), then NO_HISTORY (0), INSUFFICIENT_DATA (&lt;3), STRONG_PROCEED (win rate ≥ 0.7 and mean P&amp;L &gt; 0),
/// PROCEED (≥ 0.55), STRONG_AVOID (&lt; 0.4), AVOID (&lt; 0.5), else NEUTRAL.
/// </summary>
public static class TradeMemoryVerdicts
{
    public static MemoryRecall Recall(IReadOnlyList<TradeOutcome> outcomes, string strategy, string symbol, string entryReason)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var levels = new (string Level, Func<TradeOutcome, bool> Match)[]
        {
            ("strategy+entry_reason", o => o.Strategy == strategy && o.EntryReason == entryReason),
            ("strategy+symbol", o => o.Strategy == strategy && o.Symbol == symbol),
            ("strategy", o => o.Strategy == strategy),
        };
        foreach (var (level, match) in levels)
        {
            var matched = outcomes.Where(match).ToArray();
            if (matched.Length == 0)
            {
                continue;
            }

            var winRate = (double)matched.Count(o => o.Won) / matched.Length;
            var meanPnl = decimal.Round(matched.Average(o => o.PnlDollars), 2);
            var verdict = matched.Length < 3 ? "INSUFFICIENT_DATA"
                : winRate >= 0.7 && meanPnl > 0 ? "STRONG_PROCEED"
                : winRate >= 0.55 ? "PROCEED"
                : winRate < 0.4 ? "STRONG_AVOID"
                : winRate < 0.5 ? "AVOID"
                : "NEUTRAL";
            return new MemoryRecall
            {
                Verdict = verdict,
                MatchLevel = level,
                MatchedTrades = matched.Length,
                WinRate = Math.Round(winRate, 4),
                MeanPnlDollars = meanPnl,
                Summary = string.Create(CultureInfo.InvariantCulture,
                    $"{verdict}: {matched.Length} past trade(s) on {level}, win rate {winRate:P0}, mean P&L ${meanPnl:0.00}"),
            };
        }

        return new MemoryRecall { Verdict = "NO_HISTORY", MatchLevel = "none", Summary = "NO_HISTORY: no closed trade of this strategy yet" };
    }
}
