using System.CommandLine;

namespace Trading.Cli.Commands;

/// <summary><c>trading status</c>: the status endpoint's content read from storage, for a terminal.</summary>
public static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON (the same body as GET /api/status)." };
        var command = new Command("status", "Show equity, open positions, LLM spend against the budgets, the last runs and the next scheduled runs.") { json };
        command.SetAction((parse, ct) => StatusExecution.ExecuteAsync(context, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }
}
