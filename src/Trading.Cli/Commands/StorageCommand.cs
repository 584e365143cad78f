using System.CommandLine;
using Trading.Cli.Storage;

namespace Trading.Cli.Commands;

/// <summary><c>trading storage status|stop</c>: this checkout's Azurite, which outlives the command that started it.</summary>
public static class StorageCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = new Command("status", "Say whether this checkout's Azurite is running, and where.");
        status.SetAction(async (parse, ct) =>
        {
            var (listening, line) = await LocalStorage.StatusAsync(context.ContentRoot, ct);
            await parse.InvocationConfiguration.Output.WriteLineAsync(line);
            return listening ? TradingCommandLine.Success : TradingCommandLine.Failure;
        });
        var stop = new Command("stop", "Stop this checkout's Azurite (its data stays in .trading/azurite).");
        stop.SetAction(async (parse, ct) =>
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync(await LocalStorage.StopAsync(context.ContentRoot, ct));
            return TradingCommandLine.Success;
        });
        return new Command("storage", "This checkout's local storage (Azurite), started by the first command that needs it.") { status, stop };
    }
}
