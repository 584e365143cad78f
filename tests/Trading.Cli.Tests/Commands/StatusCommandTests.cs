using System.Net;
using System.Net.Sockets;
using Trading.Cli.Tests.Support;

namespace Trading.Cli.Tests.Commands;

/// <summary><c>trading status</c> when its storage fails: nothing unread is shown as a number, and the exit code says so.</summary>
public sealed class StatusCommandTests
{
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
