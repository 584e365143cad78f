using Trading.Cli.Serve;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading serve</c> until Ctrl+C.</summary>
internal static class ServeExecution
{
    public static async Task<int> ExecuteAsync(CliContext context, string? urls, DateTimeOffset? at, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var host = await ServeHost.StartAsync(context, urls, at, output, error, cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Stopping...");
        }

        return TradingCommandLine.Success;
    }
}
