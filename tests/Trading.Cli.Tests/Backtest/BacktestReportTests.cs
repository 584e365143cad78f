using Trading.Cli.Backtest;

namespace Trading.Cli.Tests.Backtest;

public sealed class BacktestReportTests
{
    private static readonly DateOnly Start = new(2025, 1, 2);

    private static BacktestDay Day(int offset, decimal equity, decimal bats = 0.1m, decimal opus = 1m) =>
        new(Start.AddDays(offset), equity, 3, bats, opus, 0.83m);

    private static BacktestTrade Trade(decimal pnl, string reason) =>
        new(Guid.NewGuid().ToString("N"), "d15-w10", Start, Start.AddDays(10), 150m, pnl, reason);

    private static BacktestReport Create(IReadOnlyList<BacktestDay> days, IReadOnlyList<BacktestTrade> trades) =>
        BacktestReport.Create(Start, Start.AddDays(30), 7, ["d15-w10"], 100_000m, days, trades, true, LlmCostEstimate.Rule, TimeSpan.FromSeconds(1));

    [Fact]
    public void Win_rate_pnl_and_profit_factor_come_from_the_closed_trades()
    {
        var report = Create(
            [Day(0, 100_000m), Day(1, 100_200m)],
            [Trade(120m, "profit_target"), Trade(80m, "profit_target"), Trade(-150m, "stop_loss"), Trade(-50m, "time_exit")]);

        Assert.Equal(4, report.Trades);
        Assert.Equal(2, report.Wins);
        Assert.Equal(50m, report.WinRatePct);
        Assert.Equal(0m, report.TotalPnlUsd);
        Assert.Equal(0m, report.PnlPerTradeUsd);
        Assert.Equal(1m, report.ProfitFactor);
        Assert.Equal(["profit_target", "stop_loss", "time_exit"], report.ExitsByReason.Select(e => e.Reason));
        Assert.Equal(2, report.ExitsByReason[0].Trades);
        Assert.Equal(200m, report.ExitsByReason[0].PnlUsd);
    }

    [Fact]
    public void Profit_factor_is_undefined_without_a_losing_trade()
    {
        var report = Create([Day(0, 100_100m)], [Trade(100m, "profit_target")]);
        Assert.Null(report.ProfitFactor);
        Assert.Equal(100m, report.WinRatePct);
    }

    [Fact]
    public void Max_drawdown_is_the_largest_fall_from_a_running_peak()
    {
        var days = new[] { Day(0, 101_000m), Day(1, 99_000m), Day(2, 102_000m), Day(3, 100_500m), Day(4, 98_940m), Day(5, 103_000m) };
        var (usd, pct) = BacktestReport.MaxDrawdown(100_000m, days);
        Assert.Equal(3_060m, usd);
        Assert.Equal(3m, pct);
    }

    [Fact]
    public void Max_drawdown_counts_a_fall_below_the_starting_equity()
    {
        var (usd, _) = BacktestReport.MaxDrawdown(100_000m, [Day(0, 97_000m), Day(1, 98_000m)]);
        Assert.Equal(3_000m, usd);
    }

    [Fact]
    public void Sharpe_matches_a_hand_computation_and_is_undefined_for_a_flat_curve_or_too_few_days()
    {
        // Returns alternate +1%, -0.5%, ... over 20 days: mean 0.25%, sample sd of the alternation, × √252.
        var equity = 100_000m;
        var days = new List<BacktestDay>();
        var returns = new List<double>();
        for (var i = 0; i < BacktestReport.MinDaysForSharpe; i++)
        {
            var r = i % 2 == 0 ? 0.01 : -0.005;
            equity *= 1 + (decimal)r;
            returns.Add(r);
            days.Add(Day(i, equity));
        }

        var mean = returns.Average();
        var sd = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1));
        Assert.Equal(mean / sd * Math.Sqrt(252), BacktestReport.Sharpe(100_000m, days)!.Value, 0.001);

        Assert.Null(BacktestReport.Sharpe(100_000m, [.. Enumerable.Range(0, 30).Select(i => Day(i, 100_000m))]));
        Assert.Null(BacktestReport.Sharpe(100_000m, days.Take(BacktestReport.MinDaysForSharpe - 1).ToArray())); // not enough data
    }

    [Fact]
    public void Llm_cost_per_trading_day_compares_bats_with_the_opus_baseline()
    {
        var report = Create([Day(0, 100_000m, 0.2m, 2m), Day(1, 100_000m, 1.0m, 4m)], []);
        Assert.Equal(0.6m, report.LlmCost.PerTradingDayBatsUsd);
        Assert.Equal(3m, report.LlmCost.PerTradingDayOpusOnlyUsd);
        Assert.Equal(80m, report.LlmCost.SavingsPct);
        Assert.Equal(1, report.LlmCost.DaysOverBudget);
        Assert.Equal(6, report.LlmCost.Calls);
        Assert.True(report.LlmCost.Estimated);
    }

    [Fact]
    public void The_json_summary_names_every_figure()
    {
        var report = Create([Day(0, 100_100m)], [Trade(100m, "profit_target")]);
        using var doc = System.Text.Json.JsonDocument.Parse(BacktestReportWriter.ToJson(report));
        var root = doc.RootElement;
        foreach (var name in new[] { "trades", "winRatePct", "totalPnlUsd", "pnlPerTradeUsd", "maxDrawdownUsd", "sharpeRatio", "profitFactor", "exitsByReason", "llmCost", "days" })
        {
            Assert.True(root.TryGetProperty(name, out _), name);
        }

        Assert.Equal(1, root.GetProperty("trades").GetInt32());
        Assert.Equal("profit_target", root.GetProperty("exitsByReason")[0].GetProperty("reason").GetString());
        Assert.True(root.GetProperty("llmCost").GetProperty("estimated").GetBoolean());
    }

    [Fact]
    public void The_text_report_states_the_estimation_rule()
    {
        var report = Create([Day(0, 100_100m)], [Trade(100m, "profit_target")]);
        using var writer = new StringWriter();
        BacktestReportWriter.WriteText(report, writer);
        var text = writer.ToString();
        Assert.Contains("Win rate", text, StringComparison.Ordinal);
        Assert.Contains("Profit factor", text, StringComparison.Ordinal);
        Assert.Contains("/ 4", text, StringComparison.Ordinal);
        Assert.Contains("profit_target", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_estimate_follows_the_stated_rule()
    {
        Assert.Equal(0, LlmCostEstimate.InputTokens(0));
        Assert.Equal(3, LlmCostEstimate.InputTokens(9));
        Assert.Equal(2, LlmCostEstimate.InputTokens(8));
        Assert.Equal(300, LlmCostEstimate.OutputTokens(600));
        Assert.Contains("/ 4", LlmCostEstimate.Rule, StringComparison.Ordinal);
    }
}
