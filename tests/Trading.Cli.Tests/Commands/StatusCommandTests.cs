using System.Net;
using System.Net.Sockets;
using Trading.Cli.Tests.Support;

namespace Trading.Cli.Tests.Commands;

/// <summary>
/// <c>trading status</c>: the runs in progress with their progress; and when its storage fails, nothing unread is shown as a
/// number, and the exit code says so.
/// </summary>
public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_shows_a_run_in_progress_at_its_stage_and_none_once_it_ended()
    {
        var runner = new CliRunner();
        var fresh = await runner.InvokeAsync(["status"]); // a task hub no run has used yet
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Contains("Running:   none", fresh.Output, StringComparison.Ordinal);

        using var gate = new SemaphoreSlim(0);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = runner.InvokeAsync(
            ["run", "--at", "2025-01-06T10:00", "--dry-run"], // a Monday in session: the run gets past its snapshot
            runner.Context(configureServices: runner.AfterActivity(async name =>
            {
                if (name == Trading.Pipeline.Orchestration.ActivityNames.AnalyzeMarket && held.TrySetResult())
                {
                    await gate.WaitAsync(TimeSpan.FromSeconds(60));
                }
            })));
        await held.Task.WaitAsync(TimeSpan.FromSeconds(60));

        CliResult status;
        var attempts = 0;
        do
        {
            status = await runner.InvokeAsync(["status"]);
        }
        while (!status.Output.Contains("at AnalyzeMarket", StringComparison.Ordinal) && ++attempts < 20);

        gate.Release();
        var finished = await run;
        Assert.True(finished.ExitCode == 0, finished.ToString());
        Assert.Contains("Running:\n", status.Output.Replace("\r", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Matches(@"manual-\S+ +entry +Running +at AnalyzeMarket, 1 stage\(s\) done", status.Output);
        var after = await runner.InvokeAsync(["status"]);
        Assert.Contains("Running:   none", after.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storage_that_answers_nothing_is_shown_as_unavailable_and_the_command_fails()
    {
        // Something listens on the storage port (so no Azurite is started) but drops every connection: storage gone mid-way.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var dropping = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    client.Client.Close();
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var storage = Trading.Storage.Tables.TableConnectionString.ForAzurite(port);
        var runner = new CliRunner(settings: new Dictionary<string, string?> { ["Storage:ConnectionString"] = storage });

        var result = await runner.InvokeAsync(["status"]);
        await stop.CancelAsync();
        await dropping;

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.True(result.Output.Contains("Account: unavailable (account could not be read:", StringComparison.Ordinal), result.ToString());
        Assert.Contains("Account: unavailable (account could not be read:", result.Output, StringComparison.Ordinal);
        Assert.Contains("Positions: unavailable", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("$100,000.00", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Positions: none open", result.Output, StringComparison.Ordinal);
        Assert.Contains("the status is incomplete", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal); // no stack trace
        Assert.DoesNotContain("Eby8vdM02", result.Error + result.Output, StringComparison.Ordinal);
    }
}
