using Trading.Cli.Commands;

namespace Trading.Cli.Tests.Commands;

public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext { ContentRoot = Path.GetTempPath() };
        var exit = await TradingCommandLine.InvokeAsync(args, context, output, error, CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Help_lists_every_command_and_exits_zero()
    {
        var (exit, output, _) = await InvokeAsync("--help");
        Assert.Equal(0, exit);
        foreach (var command in new[] { "run", "serve", "backtest", "status", "lessons", "models" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("run", "--at", "tomorrow")]
    [InlineData("run", "--bogus")]
    [InlineData("serve", "--at", "tomorrow")]
    [InlineData("backtest", "--from", "2025-01-01")]
    [InlineData("backtest", "--from", "2025-13-01", "--to", "2025-12-31")]
    [InlineData("backtest", "--from", "2025-06-01", "--to", "2025-01-01")]
    [InlineData("backtest", "--from", "2025-01-01", "--to", "2025-12-31", "--seed", "x")]
    public async Task Bad_options_exit_2_with_a_message_naming_the_problem(params string[] args)
    {
        var (exit, _, error) = await InvokeAsync(args);
        Assert.Equal(TradingCommandLine.UsageError, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backtest_range_in_the_wrong_order_says_which_is_which()
    {
        var (_, _, error) = await InvokeAsync("backtest", "--from", "2025-06-01", "--to", "2025-01-01");
        Assert.Contains("--to (2025-01-01) is before --from (2025-06-01)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-02T09:45", "2026-03-02T14:45:00+00:00")] // EST: UTC-5
    [InlineData("2026-07-01T09:45", "2026-07-01T13:45:00+00:00")] // EDT: UTC-4
    [InlineData("2026-07-01T13:45Z", "2026-07-01T13:45:00+00:00")]
    [InlineData("2026-07-01T15:45+02:00", "2026-07-01T13:45:00+00:00")]
    public void At_without_an_offset_is_new_york_time(string text, string expectedUtc)
    {
        Assert.True(TradingCommandLine.TryParseMoment(text, ExchangeTime.Zone, out var moment));
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), moment.ToUniversalTime());
    }

    [Fact]
    public async Task Trading_help_is_the_help_and_trading_help_run_is_the_help_of_run()
    {
        var (exit, output, error) = await InvokeAsync("help");
        var (runExit, runOutput, _) = await InvokeAsync("help", "run");

        Assert.Equal((0, string.Empty), (exit, error));
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Equal(0, runExit);
        Assert.Contains("--resume", runOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_value_names_the_setting_and_what_it_must_be_and_a_misspelt_name_is_a_warning()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            ContentRoot = Path.GetTempPath(),
            Overrides = new Dictionary<string, string?> { ["Risk:MaxRiskPerTradePct"] = "abc", ["Condor:ShortDelta"] = "0.2", ["Storage:InMemory"] = "true" },
        };

        var exit = await TradingCommandLine.InvokeAsync(["status"], context, output, error, CancellationToken.None);

        Assert.Equal(2, exit);
        var text = error.ToString();
        Assert.Contains("Risk:MaxRiskPerTradePct must be a number; was 'abc'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Decimal", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", text, StringComparison.Ordinal);
        Assert.Contains("warning: Condor:ShortDelta is not a setting (did you mean Condor:TargetShortDelta?)", text, StringComparison.Ordinal);
    }
}
