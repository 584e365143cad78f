using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Trading.Cli.Backtest;

/// <summary>Prints a <see cref="BacktestReport"/> for a terminal, or as JSON (<c>--json</c>).</summary>
public static class BacktestReportWriter
{
    /// <summary>Options for the JSON summary: camelCase, enums as strings, indented.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The machine-readable summary: every figure, the exits, and the per-day series (without the trade list when <paramref name="includeTrades"/> is false).</summary>
    public static string ToJson(BacktestReport report, bool includeTrades = true)
    {
        ArgumentNullException.ThrowIfNull(report);
        var shaped = includeTrades ? report : report with { ClosedTrades = [] };
        return JsonSerializer.Serialize(shaped, JsonOptions);
    }

    /// <summary>The human-readable report.</summary>
    public static void WriteText(BacktestReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(FormattableString.Invariant($"Backtest {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd}  seed {report.Seed}  variants {string.Join(", ", report.Variants)}"));
        output.WriteLine(FormattableString.Invariant($"Simulated market and broker; state in memory; {report.TradingDays} trading days in {report.Elapsed.TotalSeconds:0.0} s."));
        if (report.Assumptions is { Count: > 0 } assumptions)
        {
            output.WriteLine("Assumptions:");
            foreach (var assumption in assumptions)
            {
                output.WriteLine("  - " + assumption);
            }
        }

        output.WriteLine();
        Row(output, "Trades", report.Trades.ToString(c));
        Row(output, "Win rate", $"{report.WinRatePct.ToString("0.##", c)}% ({report.Wins} won, {report.Trades - report.Wins} lost)");
        Row(output, "Total P&L", $"{Money(report.TotalPnlUsd)} (after {Money(report.FeesUsd)} of fees)");
        Row(output, "P&L per trade", Money(report.PnlPerTradeUsd));
        Row(output, "Equity", $"{Money(report.StartingEquityUsd)} -> {Money(report.EndingEquityUsd)}");
        Row(output, "Max drawdown", $"{Money(report.MaxDrawdownUsd)} ({report.MaxDrawdownPct.ToString("0.##", c)}%)");
        Row(output, "Sharpe (annualised)", report.SharpeRatio is { } s ? s.ToString("0.00", c)
            : report.TradingDays < BacktestReport.MinDaysForSharpe ? $"n/a (not enough data: fewer than {BacktestReport.MinDaysForSharpe} trading days)" : "n/a (no variation in daily returns)");
        Row(output, "Profit factor", report.ProfitFactor is { } pf ? pf.ToString("0.00", c) : report.Trades == 0 ? "n/a (no trades)" : "n/a (no losing trade)");
        output.WriteLine();
        output.WriteLine("Exits by reason");
        if (report.ExitsByReason.Count == 0)
        {
            output.WriteLine("  (no closed trades)");
        }

        foreach (var exit in report.ExitsByReason)
        {
            output.WriteLine(FormattableString.Invariant($"  {exit.Reason,-20} {exit.Trades,5} {(exit.Trades == 1 ? "trade " : "trades")}  {Money(exit.PnlUsd),12}"));
        }

        if (report.EntryOutcomes.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Entry runs by outcome (why days passed without a trade)");
            foreach (var entry in report.EntryOutcomes.Take(8))
            {
                output.WriteLine(FormattableString.Invariant($"  {entry.Runs,5}  {entry.Outcome}"));
            }
        }

        var cost = report.LlmCost;
        output.WriteLine();
        output.WriteLine(cost.Estimated ? "LLM cost (estimated offline; see rule below)" : "LLM cost (gateway usage)");
        Row(output, "Calls", cost.Calls.ToString(c));
        Row(output, "Per trading day, BATS", Money4(cost.PerTradingDayBatsUsd));
        Row(output, "Per trading day, Opus-only", Money4(cost.PerTradingDayOpusOnlyUsd));
        Row(output, "Total, BATS vs Opus-only", $"{Money4(cost.TotalBatsUsd)} vs {Money4(cost.TotalOpusOnlyUsd)} (BATS saves {cost.SavingsPct.ToString("0.#", c)}%)");
        Row(output, "Daily budget", $"{Money4(cost.DailyBudgetUsd)}; {cost.DaysOverBudget} day(s) over");
        if (cost.Estimated)
        {
            output.WriteLine(FormattableString.Invariant($"  Rule: {cost.EstimationRule}."));
        }
    }

    private static void Row(TextWriter output, string label, string value) =>
        output.WriteLine(FormattableString.Invariant($"  {label,-28} {value}"));

    private static string Money(decimal value) =>
        (value < 0 ? "-$" : "$") + Math.Abs(value).ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Money4(decimal value) => "$" + value.ToString("0.0000", CultureInfo.InvariantCulture);
}
