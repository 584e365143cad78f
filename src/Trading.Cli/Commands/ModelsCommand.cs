using System.CommandLine;

namespace Trading.Cli.Commands;

/// <summary><c>trading models</c>: the configured models against what the gateway serves (its <c>GET /v1/models</c>).</summary>
public static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print as JSON." };
        var command = new Command("models", "Check every configured model against the gateway's model list (needs a gateway key).") { json };
        command.SetAction((parse, ct) => ModelsExecution.ExecuteAsync(context, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct));
        return command;
    }
}
