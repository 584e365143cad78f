using System.Xml.Linq;
using Trading.Cli.Backtest;

namespace Trading.Cli.Tests.Backtest;

public sealed class BacktestChartTests
{
    private static BacktestReport Report(int days)
    {
        var random = new Random(11);
        var equity = 100_000m;
        var series = new List<BacktestDay>();
        var date = new DateOnly(2025, 1, 2);
        for (var i = 0; i < days; i++)
        {
            equity += (decimal)((random.NextDouble() - 0.48) * 400);
            series.Add(new BacktestDay(date.AddDays(i), Math.Round(equity, 2), 4, i % 50 == 0 ? 1.2m : 0.05m, 0.9m, 0.83m));
        }

        return BacktestReport.Create(date, date.AddDays(days), 1, ["base"], 100_000m, series, [], true, LlmCostEstimate.Rule, TimeSpan.Zero);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(252)]
    public void The_chart_is_well_formed_svg_with_both_panels(int days)
    {
        var svg = XDocument.Parse(BacktestChart.Render(Report(days)));
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Root!.Name);
        var texts = svg.Descendants(ns + "text").Select(t => t.Value).ToList();
        Assert.Contains(texts, t => t.StartsWith("Equity", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("LLM spend per trading day", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("daily budget", StringComparison.Ordinal));
        if (days > 0)
        {
            var polylines = svg.Descendants(ns + "polyline").ToList();
            Assert.Equal(2, polylines.Count);
            Assert.All(polylines, p => Assert.Equal(days, p.Attribute("points")!.Value.Split(' ').Length));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(252)]
    public void Spend_bars_stay_inside_their_frame_however_short_the_range(int days)
    {
        var svg = XDocument.Parse(BacktestChart.Render(Report(days)));
        XNamespace ns = "http://www.w3.org/2000/svg";
        double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var frame = svg.Descendants(ns + "rect").Last(r => r.Attribute("fill")?.Value == "#fafafa");
        var bars = svg.Descendants(ns + "rect").Where(r => r.Attribute("fill")?.Value is "#2e8b57" or "#c0392b").ToList();

        Assert.Equal(days, bars.Count);
        Assert.All(bars, b =>
        {
            Assert.True(Attr(b, "x") >= Attr(frame, "x") - 0.01, $"bar at x={Attr(b, "x")} starts left of the frame");
            Assert.True(Attr(b, "x") + Attr(b, "width") <= Attr(frame, "x") + Attr(frame, "width") + 0.01, "bar ends right of the frame");
            Assert.True(Attr(b, "width") > 0);
        });
    }

    [Fact]
    public void Days_over_budget_are_drawn_in_the_warning_colour_and_points_stay_inside_the_plot()
    {
        var report = Report(120);
        var svg = XDocument.Parse(BacktestChart.Render(report));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var bars = svg.Descendants(ns + "rect").Where(r => r.Attribute("fill")?.Value is "#c0392b" or "#2e8b57").ToList();
        Assert.Equal(120, bars.Count);
        Assert.Equal(report.LlmCost.DaysOverBudget, bars.Count(b => b.Attribute("fill")!.Value == "#c0392b"));
        foreach (var point in svg.Descendants(ns + "polyline").SelectMany(p => p.Attribute("points")!.Value.Split(' ')))
        {
            var xy = point.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(xy[0], 90, 970);
            Assert.InRange(xy[1], 70, 650);
        }
    }

    [Fact]
    public async Task WriteFileAsync_creates_the_directory_and_leaves_no_temporary_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "chart-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(dir, "sub", "out.svg");
            await BacktestChart.WriteFileAsync(Report(10), path, CancellationToken.None);
            Assert.True(File.Exists(path));
            Assert.False(File.Exists(path + ".tmp"));
            XDocument.Load(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Spend_is_on_a_log_scale_so_cents_and_the_budget_are_both_readable()
    {
        var date = new DateOnly(2025, 1, 2);
        var days = new[]
        {
            new BacktestDay(date, 100_000m, 3, 0.001m, 0.9m, 0.83m),
            new BacktestDay(date.AddDays(1), 100_000m, 3, 0.01m, 0.9m, 0.83m),
        };
        var report = BacktestReport.Create(date, date.AddDays(1), 1, ["base"], 100_000m, days, [], true, LlmCostEstimate.Rule, TimeSpan.Zero);
        var svg = XDocument.Parse(BacktestChart.Render(report));
        XNamespace ns = "http://www.w3.org/2000/svg";
        static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, System.Globalization.CultureInfo.InvariantCulture);

        var bars = svg.Descendants(ns + "rect").Where(r => r.Attribute("fill")?.Value == "#2e8b57").ToList();
        var budget = svg.Descendants(ns + "line").Single(l => l.Attribute("stroke")?.Value == "#c0392b" && l.Attribute("x1")?.Value == "90"); // not the legend swatch
        var opus = svg.Descendants(ns + "polyline").Single(p => p.Attribute("stroke")?.Value == "#8e44ad");
        var opusY = double.Parse(opus.Attribute("points")!.Value.Split(' ')[0].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture);

        // Ten times the spend is one decade taller; the budget sits above both bars and just below the Opus line.
        Assert.Equal(2, bars.Count);
        Assert.True(Attr(bars[1], "height") > Attr(bars[0], "height") + 20, "a tenfold spend must be visibly taller");
        Assert.True(Attr(bars[0], "height") > 0, "a tenth of a cent must still show");
        Assert.True(Attr(budget, "y1") < Attr(bars[1], "y"));
        Assert.True(opusY < Attr(budget, "y1"));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value.Contains("log scale", StringComparison.Ordinal));
    }
}
