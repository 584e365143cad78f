using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Core.Risk;

namespace Trading.Core.Tests.Memory;

public sealed class TradeMemoryTests
{
    private static readonly TradeMemoryQuery Query = new("d16-w5", "SPY", "iv-rank-high");

    private static TradeOutcome Trade(bool won, decimal pnl, string strategy = "d16-w5", string symbol = "SPY", string reason = "iv-rank-high", int n = 0) =>
        new($"pos-{n}", symbol, strategy, reason, MarketRegime.Calm, VolatilityBand.FullSize, 31, 0.16, 5m, DayOfWeek.Monday,
            1.00m, won ? 0.50m : 3.00m, pnl, won, new DateTimeOffset(2026, 1, 5, 20, 0, 0, TimeSpan.Zero).AddDays(n), won ? "TakeProfit" : "StopLoss");

    private static IEnumerable<TradeOutcome> Trades(int wins, int losses, decimal winPnl = 50m, decimal lossPnl = -200m, string reason = "iv-rank-high", string symbol = "SPY") =>
        Enumerable.Range(0, wins).Select(i => Trade(true, winPnl, reason: reason, symbol: symbol, n: i))
            .Concat(Enumerable.Range(0, losses).Select(i => Trade(false, lossPnl, reason: reason, symbol: symbol, n: 1000 + i)));

    private static TradeMemoryAssessment Assess(IEnumerable<TradeOutcome> history) => TradeMemory.Assess(history, Query, new MemorySettings());

    [Fact]
    public void No_trades_of_the_strategy_is_no_history()
    {
        var a = Assess([Trade(true, 10m, strategy: "d20-w10")]);
        Assert.Equal(TradeMemoryVerdict.NoHistory, a.Verdict);
        Assert.Equal(TradeMemoryMatch.None, a.Match);
        Assert.Equal(0, a.Trades);
    }

    [Fact]
    public void Fewer_than_three_matches_is_insufficient_data_and_three_is_enough()
    {
        var two = Assess(Trades(2, 0));
        Assert.Equal(TradeMemoryVerdict.InsufficientData, two.Verdict);
        Assert.Equal(TradeMemoryMatch.StrategyAndEntryReason, two.Match);
        Assert.Equal(2, two.Trades);
        Assert.Equal(TradeMemoryVerdict.StrongProceed, Assess(Trades(3, 0)).Verdict);
    }

    [Theory]
    [InlineData(7, 3, 50, TradeMemoryVerdict.StrongProceed)] // 0.70 exactly, mean positive
    [InlineData(11, 9, 50, TradeMemoryVerdict.Proceed)] // 0.55
    [InlineData(27, 23, 50, TradeMemoryVerdict.Neutral)] // 0.54
    [InlineData(5, 5, 50, TradeMemoryVerdict.Neutral)] // 0.50
    [InlineData(49, 51, 50, TradeMemoryVerdict.Avoid)] // 0.49
    [InlineData(4, 6, 50, TradeMemoryVerdict.Avoid)] // 0.40
    [InlineData(39, 61, 50, TradeMemoryVerdict.StrongAvoid)] // 0.39
    public void Win_rate_thresholds(int wins, int losses, int winPnl, TradeMemoryVerdict expected)
    {
        // Losses of −10 keep the mean positive, so only the win rate decides.
        var a = Assess(Trades(wins, losses, winPnl, lossPnl: -10m));
        Assert.Equal(expected, a.Verdict);
        Assert.Equal((double)wins / (wins + losses), a.WinRate, 12);
        Assert.Equal(wins, a.Wins);
    }

    [Fact]
    public void A_high_win_rate_with_a_non_positive_mean_is_only_proceed()
    {
        var a = Assess(Trades(7, 3, winPnl: 50m, lossPnl: -200m)); // mean (350 − 600) / 10 = −25
        Assert.Equal(TradeMemoryVerdict.Proceed, a.Verdict);
        Assert.Equal(-25m, a.MeanPnl);
        Assert.Equal(-250m, a.TotalPnl);

        var zero = Assess(Trades(7, 3, winPnl: 30m, lossPnl: -70m)); // mean exactly 0
        Assert.Equal(TradeMemoryVerdict.Proceed, zero.Verdict);
    }

    [Fact]
    public void Matching_falls_back_from_entry_reason_to_symbol_to_strategy()
    {
        // Two trades with the same entry reason (not enough), four on SPY with other reasons: strategy+symbol decides.
        var bySymbol = Assess(Trades(2, 0).Concat(Trades(0, 4, reason: "other")));
        Assert.Equal(TradeMemoryMatch.StrategyAndSymbol, bySymbol.Match);
        Assert.Equal(6, bySymbol.Trades);
        Assert.Equal(TradeMemoryVerdict.StrongAvoid, bySymbol.Verdict);

        // Only other symbols and reasons: strategy alone.
        var byStrategy = Assess(Trades(3, 0, reason: "other", symbol: "QQQ"));
        Assert.Equal(TradeMemoryMatch.Strategy, byStrategy.Match);
        Assert.Equal(TradeMemoryVerdict.StrongProceed, byStrategy.Verdict);

        // Enough with the entry reason: the most specific level wins even when the broader one disagrees.
        var specific = Assess(Trades(3, 0).Concat(Trades(0, 20, reason: "other")));
        Assert.Equal(TradeMemoryMatch.StrategyAndEntryReason, specific.Match);
        Assert.Equal(TradeMemoryVerdict.StrongProceed, specific.Verdict);
    }

    [Fact]
    public void Settings_defaults_and_validation()
    {
        Assert.Equal("Memory", MemorySettings.SectionName);
        Assert.Empty(new MemorySettings().Validate());
        var errors = new MemorySettings { MinTrades = 0, ProceedWinRate = 0.8 }.Validate();
        Assert.Contains("Memory:MinTrades must be in [1, 1000000]; was 0", errors);
        Assert.Contains(errors, e => e.StartsWith("Memory:ProceedWinRate must satisfy", StringComparison.Ordinal));
    }
}
