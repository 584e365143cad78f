using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using Trading.Cli.Mcp;
using Trading.Pipeline.Hosting;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading mcp</c>: lists the profiles, or serves one profile over stdio until the client closes it.</summary>
internal static class McpExecution
{
    public static async Task<int> ListProfilesAsync(TextWriter output)
    {
        foreach (var profile in McpProfiles.All)
        {
            await output.WriteLineAsync($"{profile.Name,-11} {profile.Purpose}");
            await output.WriteLineAsync($"{string.Empty,-11} tools: {string.Join(", ", profile.Tools)}");
        }

        return TradingCommandLine.Success;
    }

    public static async Task<int> ServeStdioAsync(CliContext context, McpProfile profile, TextWriter error, CancellationToken cancellationToken)
    {
        var options = McpServerSetup.ReadOptions(context.BuildConfiguration());
        await using var command = await CommandServices.CreateAsync(
            context,
            error,
            cancellationToken,
            services =>
            {
                services.AddSingleton(new McpStdioProfile(profile));
                services.AddTradingMcpServer(options).WithStdioServerTransport();
            },
            options.Validate());
        await error.WriteLineAsync($"MCP server on stdio, profile '{profile.Name}': {string.Join(", ", profile.Tools)}.");
        try
        {
            await command.Services.GetRequiredService<McpServer>().RunAsync(cancellationToken);
        }
        finally
        {
            // A run an operator started keeps going in this process: give it a bounded time to finish (it stays resumable).
            var runs = command.Services.GetService<InProcessOrchestrationRunner>()?.WaitForBackgroundRunsAsync() ?? Task.CompletedTask;
            try
            {
                await runs.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            }
            catch (TimeoutException)
            {
                await error.WriteLineAsync("A run is still going; continue it with 'trading run --resume <id>'.");
            }
        }

        return TradingCommandLine.Success;
    }
}
