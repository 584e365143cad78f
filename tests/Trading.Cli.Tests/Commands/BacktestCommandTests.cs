using System.Text.Json;
using System.Xml.Linq;
using Trading.Cli.Tests.Support;
using Trading.Markets.Calendar;

namespace Trading.Cli.Tests.Commands;

/// <summary><c>trading backtest</c> end to end over three simulated months (state in memory; no storage needed).</summary>
public sealed class BacktestCommandTests
{
    private static readonly string[] ShortRange = ["backtest", "--from", "2025-01-02", "--to", "2025-03-31", "--variants", "d15-w5"];

    private static async Task<CliResult> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext { ContentRoot = Path.GetTempPath(), Interactive = false, Overrides = new Dictionary<string, string?>() };
        var exit = await TradingCommandLine.InvokeAsync(args, context, output, error, CancellationToken.None);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Json_summary_covers_every_trading_day_and_every_figure()
    {
        var result = await InvokeAsync([.. ShortRange, "--json"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Output);
        var root = doc.RootElement;
        var sessions = NyseCalendar.Sessions(new DateOnly(2025, 1, 2), new DateOnly(2025, 3, 31));
        Assert.Equal(sessions.Count, root.GetProperty("tradingDays").GetInt32());
        Assert.Equal(sessions.Select(s => s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), root.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("date").GetString()));
        Assert.Equal(["d15-w5"], root.GetProperty("variants").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(root.GetProperty("closedTrades").GetArrayLength(), root.GetProperty("trades").GetInt32());
        var llm = root.GetProperty("llmCost");
        Assert.True(llm.GetProperty("estimated").GetBoolean());
        Assert.True(llm.GetProperty("calls").GetInt32() >= sessions.Count, "an entry run each trading day renders at least its analysis prompt");
        Assert.True(llm.GetProperty("totalOpusOnlyUsd").GetDecimal() > llm.GetProperty("totalBatsUsd").GetDecimal());
        Assert.True(root.GetProperty("trades").GetInt32() > 0, "three months of the default settings produce at least one closed trade");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_result_and_another_seed_a_different_market()
    {
        static async Task<string> DaysAsync(string seed)
        {
            var result = await InvokeAsync([.. ShortRange, "--seed", seed, "--json"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            using var doc = JsonDocument.Parse(result.Output);
            return doc.RootElement.GetProperty("days").GetRawText() + doc.RootElement.GetProperty("closedTrades").GetRawText();
        }

        var first = await DaysAsync("7");
        Assert.Equal(first, await DaysAsync("7"));
        Assert.NotEqual(first, await DaysAsync("8"));
    }

    [Fact]
    public async Task The_report_and_the_chart_are_written_and_redirected_output_has_no_progress_bar()
    {
        var chart = Path.Combine(Path.GetTempPath(), "backtest-" + Guid.NewGuid().ToString("N") + ".svg");
        try
        {
            var result = await InvokeAsync([.. ShortRange, "--chart", chart]);

            Assert.True(result.ExitCode == 0, result.ToString());
            foreach (var label in new[] { "Trades", "Win rate", "Total P&L", "P&L per trade", "Max drawdown", "Sharpe", "Profit factor", "Exits by reason", "Per trading day, BATS", "Per trading day, Opus-only", "Rule:" })
            {
                Assert.Contains(label, result.Output, StringComparison.Ordinal);
            }

            Assert.DoesNotContain('\r', result.Output);
            Assert.Contains("Chart: " + chart, result.Output, StringComparison.Ordinal);
            var svg = XDocument.Load(chart);
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal(2, svg.Descendants().Count(e => e.Name.LocalName == "polyline"));
        }
        finally
        {
            File.Delete(chart);
        }
    }

    [Fact]
    public async Task A_bad_variant_is_a_usage_error_naming_it()
    {
        var result = await InvokeAsync("backtest", "--from", "2025-01-02", "--to", "2025-01-10", "--variants", "d15-w5,wide");
        Assert.True(result.ExitCode == TradingCommandLine.UsageError, result.ToString());
        Assert.Contains("'wide'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chart_file_that_is_not_svg_is_refused_before_any_work()
    {
        var result = await InvokeAsync([.. ShortRange, "--chart", Path.Combine(Path.GetTempPath(), "equity.png")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("name the file .svg, not 'equity.png'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("risk-rejected", "rejected: MaxOpenCondors: 2 condors are open; the limit is 2; DuplicateExpiry: position p already holds a condor", "risk-rejected: MaxOpenCondors + DuplicateExpiry")]
    [InlineData("risk-rejected", "rejected: IvRankTooLow: implied-volatility rank 12 is below the 20 floor", "risk-rejected: IvRankTooLow")]
    [InlineData("council-declined", "no quorum", "council-declined")]
    public void An_entry_run_is_tallied_by_how_it_ended_and_which_rules_refused(string reason, string detail, string expected) =>
        Assert.Equal(expected, Trading.Cli.Backtest.BacktestEngine.EntryOutcome(new Trading.Pipeline.Journal.RunJournal { EndReason = reason, EndDetail = detail }));
}
