using Trading.Cli.Clocks;
using Trading.Cli.Storage;
using Trading.Cli.Tests.Support;

namespace Trading.Cli.Tests.Storage;

/// <summary>
/// The checkout's own Azurite outlives the command that started it: two overlapping commands both finish on it, and it is
/// stopped only by <c>trading storage stop</c>.
/// </summary>
public sealed class SharedStorageTests : IAsyncLifetime
{
    private readonly string _checkout = Directory.CreateTempSubdirectory("checkout-shared").FullName;

    [Fact]
    public async Task Two_overlapping_runs_share_the_checkouts_azurite_which_keeps_running_until_storage_stop()
    {
        if (OperatingSystem.IsWindows())
        {
            Console.WriteLine("SKIPPED: the detached Azurite uses setsid (Unix); run this test on Linux or macOS.");
            return;
        }

        var first = InvokeAsync(["run", "--dry-run", "--at", "2026-11-23T10:00"]);
        var second = InvokeAsync(["run", "--dry-run", "--at", "2026-11-23T10:00"]);
        var results = await Task.WhenAll(first, second);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Single(results, r => r.Error.Contains("started this checkout's Azurite", StringComparison.Ordinal));
        Assert.Single(results, r => r.Error.Contains("already running", StringComparison.Ordinal));
        Assert.True((await LocalStorage.StatusAsync(_checkout, CancellationToken.None)).Listening); // both ended; storage did not

        var stop = await InvokeAsync(["storage", "stop"]);
        Assert.Contains("stopped this checkout's Azurite", stop.Output, StringComparison.Ordinal);
        Assert.False((await LocalStorage.StatusAsync(_checkout, CancellationToken.None)).Listening);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await LocalStorage.StopAsync(_checkout, CancellationToken.None); // whatever the test left running
        Directory.Delete(_checkout, recursive: true);
    }

    private async Task<CliResult> InvokeAsync(string[] args)
    {
        var context = new CliContext
        {
            ContentRoot = _checkout, // no storage configured: the checkout's own Azurite (the repository's, found from the app)
            Overrides = new Dictionary<string, string?>
            {
                ["Pipeline:Variants"] = "d15-w5",
                ["TaskHub:MaxQueuePollingInterval"] = "00:00:00.050",
            },
            Time = new SimulationClock(CliRunner.FixedNow),
            Interactive = false,
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await TradingCommandLine.InvokeAsync(args, context, output, error, CancellationToken.None);
        return new CliResult(exit, output.ToString(), error.ToString());
    }
}
