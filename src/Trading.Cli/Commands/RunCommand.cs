using System.CommandLine;

namespace Trading.Cli.Commands;

/// <summary><c>trading run</c>: one full pipeline pass now (or at <c>--at</c>), resumable, printed as a stage table or JSON.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var zone = ExchangeTime.Zone;
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "The moment of the run (ISO 8601; without an offset it is New York time). Default with the simulated market: "
                + "the next entry window; with a live broker: now.",
            CustomParser = r => TradingCommandLine.ParseMoment(r, zone),
        };
        var resume = new Option<string?>("--resume") { Description = "Resume an interrupted run by its id from the last completed stage (never places a second order)." };
        var json = new Option<bool>("--json") { Description = "Print the run journal as JSON instead of the stage table." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Run every stage but stop before placing the order." };
        var command = new Command("run", "Run the six-stage pipeline once and print what each stage decided.") { at, resume, json, dryRun };
        command.SetAction((parse, ct) => RunExecution.ExecuteAsync(
            context,
            new RunArguments(parse.GetValue(at), parse.GetValue(resume), parse.GetValue(json), parse.GetValue(dryRun)),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            ct));
        return command;
    }
}

/// <summary>The options of <c>trading run</c>.</summary>
public sealed record RunArguments(DateTimeOffset? At, string? ResumeRunId, bool Json, bool DryRun);
