using System.CommandLine;

namespace Trading.Cli.Commands;

/// <summary><c>trading lessons --drafts</c>: lessons drafted from losing trades, waiting for a person to review them.</summary>
public static class LessonsCommand
{
    public static Command Create(CliContext context)
    {
        var drafts = new Option<bool>("--drafts") { Description = "List the draft lessons written after losing trades (not yet used by retrieval)." };
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("lessons", "Show the lessons-learned knowledge base.") { drafts, json };
        command.SetAction((parse, ct) => LessonsExecution.ExecuteAsync(context, parse.GetValue(drafts), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }
}
