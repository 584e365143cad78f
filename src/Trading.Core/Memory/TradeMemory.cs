using System.Globalization;
using Trading.Core.Settings;

namespace Trading.Core.Memory;

/// <summary>What past trades with a similar setup say about the proposed one.</summary>
public enum TradeMemoryVerdict
{
    NoHistory,
    InsufficientData,
    StrongProceed,
    Proceed,
    Neutral,
    Avoid,
    StrongAvoid,
}

/// <summary>Which level of the matching hierarchy the verdict came from.</summary>
public enum TradeMemoryMatch
{
    None,
    StrategyAndEntryReason,
    StrategyAndSymbol,
    Strategy,
}

/// <summary>The setup being proposed.</summary>
public sealed record TradeMemoryQuery(string StrategyVariantId, string Symbol, string EntryReason);

/// <summary>The verdict with the statistics behind it.</summary>
public sealed record TradeMemoryAssessment(
    TradeMemoryVerdict Verdict, TradeMemoryMatch Match, int Trades, int Wins, double WinRate, decimal MeanPnl, decimal TotalPnl, string Message);

/// <summary>Trade-memory thresholds (configuration section "Memory"). Win rates are fractions (0.7 = 70%).</summary>
public sealed class MemorySettings
{
    public const string SectionName = "Memory";

    /// <summary>Fewer matching trades than this gives INSUFFICIENT_DATA.</summary>
    public int MinTrades { get; set; } = 3;

    /// <summary>Win rate at or above this with a positive mean P&amp;L gives STRONG_PROCEED.</summary>
    public double StrongProceedWinRate { get; set; } = 0.7;

    public double ProceedWinRate { get; set; } = 0.55;

    /// <summary>Win rate below this gives AVOID.</summary>
    public double AvoidWinRate { get; set; } = 0.5;

    /// <summary>Win rate below this gives STRONG_AVOID.</summary>
    public double StrongAvoidWinRate { get; set; } = 0.4;

    /// <summary>Every broken rule, naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var e = new SettingErrors(SectionName)
            .Range(nameof(MinTrades), MinTrades, 1, 1_000_000)
            .Range(nameof(StrongProceedWinRate), StrongProceedWinRate, 0, 1)
            .Range(nameof(ProceedWinRate), ProceedWinRate, 0, 1)
            .Range(nameof(AvoidWinRate), AvoidWinRate, 0, 1)
            .Range(nameof(StrongAvoidWinRate), StrongAvoidWinRate, 0, 1);
        e.Require(StrongAvoidWinRate <= AvoidWinRate && AvoidWinRate <= ProceedWinRate && ProceedWinRate <= StrongProceedWinRate,
            nameof(ProceedWinRate), "must satisfy StrongAvoidWinRate <= AvoidWinRate <= ProceedWinRate <= StrongProceedWinRate",
            $"{SettingErrors.F(StrongAvoidWinRate)} / {SettingErrors.F(AvoidWinRate)} / {SettingErrors.F(ProceedWinRate)} / {SettingErrors.F(StrongProceedWinRate)}");
        return e.Errors;
    }
}

/// <summary>
/// The reference's trade-memory rule: match on strategy + entry reason, then strategy + symbol, then strategy alone, using the
/// first level with at least <see cref="MemorySettings.MinTrades"/> trades; fewer everywhere gives INSUFFICIENT_DATA
/// (from the most specific level that has any), none at all NO_HISTORY.
/// </summary>
public static class TradeMemory
{
    public static TradeMemoryAssessment Assess(IEnumerable<TradeOutcome> history, TradeMemoryQuery query, MemorySettings settings)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(settings);
        var byStrategy = history.Where(t => string.Equals(t.StrategyVariantId, query.StrategyVariantId, StringComparison.Ordinal)).ToArray();
        var levels = new (TradeMemoryMatch Match, TradeOutcome[] Trades)[]
        {
            (TradeMemoryMatch.StrategyAndEntryReason, byStrategy.Where(t => string.Equals(t.EntryReason, query.EntryReason, StringComparison.OrdinalIgnoreCase)).ToArray()),
            (TradeMemoryMatch.StrategyAndSymbol, byStrategy.Where(t => string.Equals(t.Symbol, query.Symbol, StringComparison.OrdinalIgnoreCase)).ToArray()),
            (TradeMemoryMatch.Strategy, byStrategy),
        };

        foreach (var (match, trades) in levels)
        {
            if (trades.Length >= settings.MinTrades)
            {
                return Judge(match, trades, settings);
            }
        }

        foreach (var (match, trades) in levels)
        {
            if (trades.Length > 0)
            {
                var s = Stats(trades);
                return new TradeMemoryAssessment(TradeMemoryVerdict.InsufficientData, match, trades.Length, s.Wins, s.WinRate, s.Mean, s.Total,
                    string.Create(CultureInfo.InvariantCulture, $"only {trades.Length} matching trade(s) by {match}; {settings.MinTrades} needed"));
            }
        }

        return new TradeMemoryAssessment(TradeMemoryVerdict.NoHistory, TradeMemoryMatch.None, 0, 0, 0, 0, 0,
            $"no closed trades of strategy '{query.StrategyVariantId}'");
    }

    private static TradeMemoryAssessment Judge(TradeMemoryMatch match, TradeOutcome[] trades, MemorySettings settings)
    {
        var (wins, winRate, mean, total) = Stats(trades);
        var verdict = winRate >= settings.StrongProceedWinRate && mean > 0 ? TradeMemoryVerdict.StrongProceed
            : winRate >= settings.ProceedWinRate ? TradeMemoryVerdict.Proceed
            : winRate < settings.StrongAvoidWinRate ? TradeMemoryVerdict.StrongAvoid
            : winRate < settings.AvoidWinRate ? TradeMemoryVerdict.Avoid
            : TradeMemoryVerdict.Neutral;
        return new TradeMemoryAssessment(verdict, match, trades.Length, wins, winRate, mean, total,
            string.Create(CultureInfo.InvariantCulture, $"{wins}/{trades.Length} won ({winRate:P1}), mean P&L {mean:F2} by {match}: {verdict}"));
    }

    private static (int Wins, double WinRate, decimal Mean, decimal Total) Stats(TradeOutcome[] trades)
    {
        var wins = trades.Count(t => t.Won);
        var total = trades.Sum(t => t.Pnl);
        return (wins, (double)wins / trades.Length, total / trades.Length, total);
    }
}
