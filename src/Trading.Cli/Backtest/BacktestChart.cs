using System.Globalization;
using System.Security;
using System.Text;

namespace Trading.Cli.Backtest;

/// <summary>
/// Writes the backtest as a self-contained SVG a person can open in a browser: the equity curve on top, and below it the
/// daily LLM spend under BATS (bars) against the Opus-only baseline (line) and the daily budget (dashed).
/// </summary>
public static class BacktestChart
{
    private const int Width = 1000;
    private const int Left = 90;
    private const int Right = 30;
    private const int PlotWidth = Width - Left - Right;
    private const int EquityTop = 70;
    private const int EquityHeight = 300;
    private const int SpendTop = 450;
    private const int SpendHeight = 200;
    private const int Height = 780;

    /// <summary>Writes the chart to <paramref name="path"/> (through a temporary file, so a reader never sees half a chart).</summary>
    public static async Task WriteFileAsync(BacktestReport report, string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = full + ".tmp";
        await File.WriteAllTextAsync(temporary, Render(report), new UTF8Encoding(false), cancellationToken);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The SVG document.</summary>
    public static string Render(BacktestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect x=\"0\" y=\"0\" width=\"{Width}\" height=\"{Height}\" fill=\"#ffffff\"/>\n"));
        Text(svg, Left, 28, $"Backtest {report.From:yyyy-MM-dd} to {report.To:yyyy-MM-dd} (seed {report.Seed}, {report.TradingDays} trading days, simulated market)", 16, "bold");
        Text(svg, Left, 48, $"{report.Trades} trades, win rate {report.WinRatePct:0.#}%, P&L {Money(report.TotalPnlUsd)}, max drawdown {Money(report.MaxDrawdownUsd)} ({report.MaxDrawdownPct:0.##}%), Sharpe {(report.SharpeRatio is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}", 12, "normal");

        var days = report.Days;
        EquityPanel(svg, report, days);
        SpendPanel(svg, report, days);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void EquityPanel(StringBuilder svg, BacktestReport report, IReadOnlyList<BacktestDay> days)
    {
        Text(svg, Left, EquityTop - 8, "Equity (end of day, USD)", 13, "bold");
        var values = days.Select(d => d.EquityUsd).Append(report.StartingEquityUsd).ToList();
        var (low, high) = NiceRange(values.Min(), values.Max());
        Frame(svg, EquityTop, EquityHeight);
        YAxis(svg, EquityTop, EquityHeight, low, high, v => Money(v));
        XAxis(svg, days, EquityTop + EquityHeight);

        // The starting equity as a reference line, so gains and losses read at a glance.
        var startY = Y(report.StartingEquityUsd, low, high, EquityTop, EquityHeight);
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{startY:0.#}\" x2=\"{Left + PlotWidth}\" y2=\"{startY:0.#}\" stroke=\"#999999\" stroke-dasharray=\"4 4\"/>\n"));
        if (days.Count > 0)
        {
            var points = new StringBuilder();
            for (var i = 0; i < days.Count; i++)
            {
                points.Append(Invariant($"{X(i, days.Count):0.#},{Y(days[i].EquityUsd, low, high, EquityTop, EquityHeight):0.#} "));
            }

            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"{points.ToString().TrimEnd()}\"/>\n"));
        }
        else
        {
            Text(svg, Left + (PlotWidth / 2) - 60, EquityTop + (EquityHeight / 2), "no trading days in range", 13, "normal");
        }

        Legend(svg, Left + PlotWidth - 250, EquityTop - 8, [("#1f5fbf", "equity", false), ("#999999", "starting equity", true)]);
    }

    private static void SpendPanel(StringBuilder svg, BacktestReport report, IReadOnlyList<BacktestDay> days)
    {
        var cost = report.LlmCost;
        Text(svg, Left, SpendTop - 8, $"LLM spend per trading day (USD, log scale){(cost.Estimated ? ", estimated offline" : string.Empty)}", 13, "bold");

        // A log scale: BATS spend is often a hundredth of the Opus baseline and of the budget; all three must be readable.
        var values = days.SelectMany(d => new[] { d.LlmCostBatsUsd, d.LlmCostOpusOnlyUsd }).Append(cost.DailyBudgetUsd).Where(v => v > 0m).ToList();
        // One decade of headroom under the smallest value, so even the cheapest day draws a visible bar.
        var lowDecade = values.Count == 0 ? -4 : (int)Math.Floor(Math.Log10((double)values.Min())) - 1;
        var highDecade = values.Count == 0 ? 0 : (int)Math.Ceiling(Math.Log10((double)values.Max()));
        if (highDecade <= lowDecade)
        {
            highDecade = lowDecade + 1;
        }

        double LogY(decimal value)
        {
            var exponent = value <= 0m ? lowDecade : Math.Max(lowDecade, Math.Log10((double)value));
            return SpendTop + SpendHeight - ((exponent - lowDecade) / (highDecade - lowDecade) * SpendHeight);
        }

        Frame(svg, SpendTop, SpendHeight);
        for (var decade = lowDecade; decade <= highDecade; decade++)
        {
            var value = (decimal)Math.Pow(10, decade);
            var y = LogY(value);
            var label = "$" + value.ToString(decade < 0 ? "0." + new string('0', -decade) : "0", CultureInfo.InvariantCulture);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + PlotWidth}\" y2=\"{y:0.#}\" stroke=\"#e3e3e3\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#333333\">{label}</text>\n"));
        }

        XAxis(svg, days, SpendTop + SpendHeight);
        if (days.Count > 0)
        {
            // Bars no wider than the spacing of the days (and 40 px), clipped to the frame: on a short range the first and
            // last bars sit on the frame's edges and would otherwise spill past it.
            var spacing = days.Count <= 1 ? PlotWidth : PlotWidth / (double)(days.Count - 1);
            var barWidth = Math.Clamp(spacing - 1d, 1d, 40d);
            for (var i = 0; i < days.Count; i++)
            {
                var y = LogY(days[i].LlmCostBatsUsd);
                var color = days[i].DailyBudgetUsd > 0 && days[i].LlmCostBatsUsd > days[i].DailyBudgetUsd ? "#c0392b" : "#2e8b57";
                var left = Math.Max(Left, X(i, days.Count) - (barWidth / 2));
                var right = Math.Min(Left + PlotWidth, X(i, days.Count) + (barWidth / 2));
                svg.Append(Invariant($"<rect x=\"{left:0.##}\" y=\"{y:0.#}\" width=\"{right - left:0.##}\" height=\"{SpendTop + SpendHeight - y:0.#}\" fill=\"{color}\"/>\n"));
            }

            var points = new StringBuilder();
            for (var i = 0; i < days.Count; i++)
            {
                points.Append(Invariant($"{X(i, days.Count):0.#},{LogY(days[i].LlmCostOpusOnlyUsd):0.#} "));
            }

            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"#8e44ad\" stroke-width=\"1.5\" points=\"{points.ToString().TrimEnd()}\"/>\n"));
        }

        if (cost.DailyBudgetUsd > 0)
        {
            var budgetY = LogY(cost.DailyBudgetUsd);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{budgetY:0.#}\" x2=\"{Left + PlotWidth}\" y2=\"{budgetY:0.#}\" stroke=\"#c0392b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"));
        }

        Legend(svg, Left + PlotWidth - 410, SpendTop - 8, [("#2e8b57", "BATS (bar)", false), ("#8e44ad", "Opus-only baseline", false), ("#c0392b", $"daily budget {Money4(cost.DailyBudgetUsd)}", true)]);
        Text(
            svg,
            Left,
            SpendTop + SpendHeight + 48,
            $"Per trading day: BATS {Money4(cost.PerTradingDayBatsUsd)}, Opus-only {Money4(cost.PerTradingDayOpusOnlyUsd)} (saves {cost.SavingsPct:0.#}%); {cost.DaysOverBudget} day(s) over budget.",
            12,
            "normal");
        if (cost.Estimated)
        {
            var line = 0;
            foreach (var part in Wrap("LLM cost " + cost.EstimationRule + ".", 150))
            {
                Text(svg, Left, SpendTop + SpendHeight + 66 + (14 * line++), part, 10, "normal");
            }
        }
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + word.Length + 1 > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length == 0 ? word : " " + word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    private static void Frame(StringBuilder svg, int top, int height) =>
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{top}\" width=\"{PlotWidth}\" height=\"{height}\" fill=\"#fafafa\" stroke=\"#444444\"/>\n"));

    private static void YAxis(StringBuilder svg, int top, int height, decimal low, decimal high, Func<decimal, string> label)
    {
        const int Ticks = 5;
        for (var i = 0; i <= Ticks; i++)
        {
            var value = low + ((high - low) * i / Ticks);
            var y = Y(value, low, high, top, height);
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Left + PlotWidth}\" y2=\"{y:0.#}\" stroke=\"#e3e3e3\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" fill=\"#333333\">{SecurityElement.Escape(label(value))}</text>\n"));
        }
    }

    private static void XAxis(StringBuilder svg, IReadOnlyList<BacktestDay> days, int baseline)
    {
        // One tick per calendar month (or per day for short ranges), labelled with the first trading day in it.
        var lastLabel = string.Empty;
        var lastX = double.NegativeInfinity;
        for (var i = 0; i < days.Count; i++)
        {
            var label = days.Count <= 31
                ? days[i].Date.ToString("MM-dd", CultureInfo.InvariantCulture)
                : days[i].Date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var x = X(i, days.Count);
            if (label == lastLabel || x - lastX < 55)
            {
                continue;
            }

            lastLabel = label;
            lastX = x;
            svg.Append(Invariant($"<line x1=\"{x:0.#}\" y1=\"{baseline}\" x2=\"{x:0.#}\" y2=\"{baseline + 5}\" stroke=\"#444444\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{baseline + 18}\" text-anchor=\"middle\" fill=\"#333333\">{label}</text>\n"));
        }
    }

    private static void Legend(StringBuilder svg, int x, int y, (string Color, string Label, bool Dashed)[] entries)
    {
        var offset = 0;
        foreach (var (color, label, dashed) in entries)
        {
            var dash = dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
            svg.Append(Invariant($"<line x1=\"{x + offset}\" y1=\"{y - 4}\" x2=\"{x + offset + 22}\" y2=\"{y - 4}\" stroke=\"{color}\" stroke-width=\"3\"{dash}/>\n"));
            Text(svg, x + offset + 27, y, label, 11, "normal");
            offset += 40 + (label.Length * 6);
        }
    }

    private static void Text(StringBuilder svg, double x, double y, string text, int size, string weight) =>
        svg.Append(Invariant($"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" font-weight=\"{weight}\" fill=\"#111111\">{SecurityElement.Escape(text)}</text>\n"));

    private static double X(int index, int count) =>
        count <= 1 ? Left + (PlotWidth / 2d) : Left + (PlotWidth * index / (double)(count - 1));

    private static double Y(decimal value, decimal low, decimal high, int top, int height)
    {
        var span = high - low;
        var fraction = span == 0m ? 0.5 : (double)((value - low) / span);
        return top + height - (fraction * height);
    }

    /// <summary>A range padded to round numbers so axis labels are readable.</summary>
    private static (decimal Low, decimal High) NiceRange(decimal min, decimal max)
    {
        if (max <= min)
        {
            var pad = Math.Max(1m, Math.Abs(min) * 0.01m);
            return (min - pad, max + pad);
        }

        var raw = (double)(max - min) / 5d;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalized = raw / magnitude;
        var multiple = normalized <= 1 ? 1d : normalized <= 2 ? 2d : normalized <= 5 ? 5d : 10d;
        var step = (decimal)(multiple * magnitude);
        var low = Math.Floor(min / step) * step;
        var high = Math.Ceiling(max / step) * step;
        return (low, high == low ? high + step : high);
    }

    private static string Money(decimal value) =>
        (value < 0 ? "-$" : "$") + Math.Abs(value).ToString("#,0", CultureInfo.InvariantCulture);

    private static string Money4(decimal value) => "$" + value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
