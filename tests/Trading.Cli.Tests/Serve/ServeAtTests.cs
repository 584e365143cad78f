using Trading.Cli.Tests.Support;

namespace Trading.Cli.Tests.Serve;

/// <summary><c>trading serve --at</c> moves the clock of a simulated market only.</summary>
public sealed class ServeAtTests
{
    [Fact]
    public async Task At_with_a_live_broker_is_a_usage_error_before_anything_listens()
    {
        var runner = new CliRunner(settings: new Dictionary<string, string?>
        {
            ["ALPACA_API_KEY_ID"] = "live-key-id-not-used",
            ["ALPACA_API_SECRET_KEY"] = "live-secret-not-used",
            ["Serve:AdminKey"] = "serve-at-test-key-0123456789",
        });

        var result = await runner.InvokeAsync(["serve", "--urls", "http://127.0.0.1:0", "--at", "2025-01-06T10:00"]);

        Assert.True(result.ExitCode == TradingCommandLine.UsageError, result.ToString());
        Assert.Contains("--at only works with the simulated market", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("live-secret-not-used", result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Serving the trading API", result.Output, StringComparison.Ordinal);
    }
}
