using System.CommandLine;
using Trading.Cli.Mcp;

namespace Trading.Cli.Commands;

/// <summary><c>trading mcp --profile NAME</c>: the MCP server over stdio, for an agent's configuration to launch.</summary>
public static class McpCommand
{
    public static Command Create(CliContext context)
    {
        var profile = new Option<string?>("--profile")
        {
            Description = $"The tool profile the agent gets: {McpProfiles.Names} ('trading mcp --list-profiles' says what each may do).",
        };
        var list = new Option<bool>("--list-profiles") { Description = "List the profiles, their purpose and their tools, and exit." };
        var command = new Command(
            "mcp",
            "Serve the Model Context Protocol over stdio (standard input and output carry the protocol; notices go to standard error) "
            + "with the tools of one profile. 'trading serve' serves the same at /mcp over HTTP, one key per profile.")
        {
            profile, list,
        };
        command.Validators.Add(result =>
        {
            var name = result.GetValue(profile);
            if (result.GetValue(list))
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                result.AddError($"Name a profile with --profile ({McpProfiles.Names}), or use --list-profiles.");
            }
            else if (McpProfiles.Find(name) is null)
            {
                result.AddError($"'{name}' is not a profile; the profiles are {McpProfiles.Names}.");
            }
        });
        command.SetAction((parse, ct) => parse.GetValue(list)
            ? McpExecution.ListProfilesAsync(parse.InvocationConfiguration.Output)
            : McpExecution.ServeStdioAsync(context, McpProfiles.Find(parse.GetValue(profile))!, parse.InvocationConfiguration.Error, ct));
        return command;
    }
}
