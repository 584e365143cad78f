using System.CommandLine;

namespace Trading.Cli.Commands;

/// <summary><c>trading serve</c>: the Functions app's HTTP API and schedules, hosted locally.</summary>
public static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var urls = new Option<string?>("--urls")
        {
            Description = "Where to listen (default from Serve:Urls, else http://127.0.0.1:7071). Use port 0 for a free port.",
        };
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "Simulated market only: serve as if it were this moment (ISO 8601; without an offset it is New York time), "
                + "the clock running on from there at real speed. Default: now.",
            CustomParser = r => TradingCommandLine.ParseMoment(r, ExchangeTime.Zone),
        };
        var command = new Command(
            "serve",
            "Serve the same HTTP API as the Functions app (key required: x-functions-key header or ?code=) and run the entry and "
            + "position-management schedules; /mcp serves MCP to agents (one key per profile: Authorization: Bearer <key>).")
        {
            urls,
            at,
        };
        command.SetAction((parse, ct) => ServeExecution.ExecuteAsync(context, parse.GetValue(urls), parse.GetValue(at), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }
}
