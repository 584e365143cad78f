namespace Trading.Cli.Backtest;

/// <summary>
/// A condor that was opened and closed (or assigned) during a backtest. Money in dollars for the whole position;
/// <see cref="PnlUsd"/> is net of <see cref="FeesUsd"/> (the fees and commissions of its orders).
/// </summary>
public sealed record BacktestTrade(
    string PositionId,
    string Variant,
    DateOnly Opened,
    DateOnly Closed,
    decimal EntryCreditUsd,
    decimal PnlUsd,
    string ExitReason,
    decimal FeesUsd = 0m);

/// <summary>
/// One simulated trading day: end-of-day equity, and that day's LLM spend under BATS next to what the same calls
/// would have cost on the Opus-only baseline.
/// </summary>
public sealed record BacktestDay(
    DateOnly Date,
    decimal EquityUsd,
    int LlmCalls,
    decimal LlmCostBatsUsd,
    decimal LlmCostOpusOnlyUsd,
    decimal DailyBudgetUsd);

/// <summary>How many entry runs ended one way (traded, or the stage and rules that said no).</summary>
public sealed record EntryOutcomeCount(string Outcome, int Runs);

/// <summary>How many closed trades ended for one reason (profit target, stop loss, time exit, expiry).</summary>
public sealed record ExitReasonCount(string Reason, int Trades, decimal PnlUsd);

/// <summary>LLM spend per trading day: BATS against the Opus-only baseline for the same calls.</summary>
public sealed record LlmCostSummary(
    int Calls,
    decimal TotalBatsUsd,
    decimal TotalOpusOnlyUsd,
    decimal PerTradingDayBatsUsd,
    decimal PerTradingDayOpusOnlyUsd,
    decimal SavingsPct,
    decimal DailyBudgetUsd,
    int DaysOverBudget,
    bool Estimated,
    string EstimationRule);

/// <summary>The backtest's result: what a person reads to judge a parameter set before risking capital.</summary>
public sealed record BacktestReport(
    DateOnly From,
    DateOnly To,
    int Seed,
    IReadOnlyList<string> Variants,
    int TradingDays,
    decimal StartingEquityUsd,
    decimal EndingEquityUsd,
    int Trades,
    int Wins,
    decimal WinRatePct,
    decimal TotalPnlUsd,
    decimal PnlPerTradeUsd,
    decimal MaxDrawdownUsd,
    decimal MaxDrawdownPct,
    double? SharpeRatio,
    decimal? ProfitFactor,
    IReadOnlyList<ExitReasonCount> ExitsByReason,
    LlmCostSummary LlmCost,
    IReadOnlyList<BacktestDay> Days,
    IReadOnlyList<BacktestTrade> ClosedTrades,
    TimeSpan Elapsed,
    IReadOnlyList<string>? Assumptions = null,
    decimal FeesUsd = 0m)
{
    /// <summary>Entry runs by how they ended, most frequent first: why days passed without a trade.</summary>
    public IReadOnlyList<EntryOutcomeCount> EntryOutcomes { get; init; } = [];

    /// <summary>Trading days a year, for annualising the Sharpe ratio.</summary>
    public const int TradingDaysPerYear = 252;

    /// <summary>Fewer daily returns than this say nothing about a Sharpe ratio (a two-day run once showed −11).</summary>
    public const int MinDaysForSharpe = 20;

    /// <summary>
    /// Computes the report. Sharpe: mean over standard deviation of daily equity returns, risk-free rate 0, times √252;
    /// null with fewer than two days or no variation. Profit factor: gross profit over gross loss; null without a loss.
    /// </summary>
    public static BacktestReport Create(
        DateOnly from,
        DateOnly to,
        int seed,
        IReadOnlyList<string> variants,
        decimal startingEquityUsd,
        IReadOnlyList<BacktestDay> days,
        IReadOnlyList<BacktestTrade> closedTrades,
        bool llmCostEstimated,
        string estimationRule,
        TimeSpan elapsed,
        IReadOnlyList<string>? assumptions = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(closedTrades);

        var trades = closedTrades.Count;
        var wins = closedTrades.Count(t => t.PnlUsd > 0);
        var totalPnl = closedTrades.Sum(t => t.PnlUsd);
        var grossProfit = closedTrades.Where(t => t.PnlUsd > 0).Sum(t => t.PnlUsd);
        var grossLoss = -closedTrades.Where(t => t.PnlUsd < 0).Sum(t => t.PnlUsd);

        var (drawdownUsd, drawdownPct) = MaxDrawdown(startingEquityUsd, days);
        var calls = days.Sum(d => d.LlmCalls);
        var bats = days.Sum(d => d.LlmCostBatsUsd);
        var opus = days.Sum(d => d.LlmCostOpusOnlyUsd);
        var dayCount = days.Count;
        var budget = dayCount == 0 ? 0m : days[^1].DailyBudgetUsd;

        return new BacktestReport(
            from,
            to,
            seed,
            variants,
            dayCount,
            startingEquityUsd,
            dayCount == 0 ? startingEquityUsd : days[^1].EquityUsd,
            trades,
            wins,
            trades == 0 ? 0m : Math.Round(100m * wins / trades, 2),
            totalPnl,
            trades == 0 ? 0m : Math.Round(totalPnl / trades, 2),
            drawdownUsd,
            drawdownPct,
            Sharpe(startingEquityUsd, days),
            grossLoss == 0m ? null : Math.Round(grossProfit / grossLoss, 3),
            closedTrades
                .GroupBy(t => t.ExitReason, StringComparer.Ordinal)
                .Select(g => new ExitReasonCount(g.Key, g.Count(), g.Sum(t => t.PnlUsd)))
                .OrderByDescending(e => e.Trades)
                .ThenBy(e => e.Reason, StringComparer.Ordinal)
                .ToList(),
            new LlmCostSummary(
                calls,
                bats,
                opus,
                dayCount == 0 ? 0m : Math.Round(bats / dayCount, 6),
                dayCount == 0 ? 0m : Math.Round(opus / dayCount, 6),
                opus == 0m ? 0m : Math.Round(100m * (opus - bats) / opus, 2),
                budget,
                days.Count(d => d.DailyBudgetUsd > 0 && d.LlmCostBatsUsd > d.DailyBudgetUsd),
                llmCostEstimated,
                estimationRule),
            days,
            closedTrades,
            elapsed,
            assumptions ?? [],
            closedTrades.Sum(t => t.FeesUsd));
    }

    /// <summary>The largest peak-to-trough fall of end-of-day equity, in dollars and as a percent of the peak.</summary>
    public static (decimal Usd, decimal Pct) MaxDrawdown(decimal startingEquityUsd, IReadOnlyList<BacktestDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var peak = startingEquityUsd;
        decimal worstUsd = 0m, worstPct = 0m;
        foreach (var day in days)
        {
            peak = Math.Max(peak, day.EquityUsd);
            var fall = peak - day.EquityUsd;
            if (fall > worstUsd)
            {
                worstUsd = fall;
            }

            if (peak > 0m && 100m * fall / peak > worstPct)
            {
                worstPct = Math.Round(100m * fall / peak, 4);
            }
        }

        return (worstUsd, worstPct);
    }

    /// <summary>Annualised Sharpe ratio of daily equity returns (risk-free rate 0); null when it is undefined.</summary>
    public static double? Sharpe(decimal startingEquityUsd, IReadOnlyList<BacktestDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        if (days.Count < MinDaysForSharpe)
        {
            return null;
        }

        var returns = new double[days.Count];
        var previous = startingEquityUsd;
        for (var i = 0; i < days.Count; i++)
        {
            returns[i] = previous == 0m ? 0d : (double)((days[i].EquityUsd - previous) / previous);
            previous = days[i].EquityUsd;
        }

        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1);
        var deviation = Math.Sqrt(variance);
        return deviation < 1e-12 ? null : Math.Round(mean / deviation * Math.Sqrt(TradingDaysPerYear), 3);
    }
}
