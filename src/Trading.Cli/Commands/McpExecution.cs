using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using Trading.Cli.Mcp;
using Trading.Hosting;
using Trading.Hosting.Engine;

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
        // A worker on the task hub, so that a run an operator starts here is executed (and any unfinished run finished).
        var worker = command.Services.GetService<PipelineWorker>();
        if (worker is not null)
        {
            await worker.StartAsync(cancellationToken);
        }

        try
        {
            await command.Services.GetRequiredService<McpServer>().RunAsync(cancellationToken);
        }
        finally
        {
            if (worker is not null)
            {
                await FinishRunsAsync(command.Services.GetRequiredService<IRunLauncher>(), error);
                await worker.StopAsync();
            }
        }

        return TradingCommandLine.Success;
    }

    // A run an operator started keeps going after the client left: give it a bounded time to finish; the task hub keeps it
    // otherwise, and the next worker (trading run, serve or mcp) finishes it.
    private static async Task FinishRunsAsync(IRunLauncher launcher, TextWriter error)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while ((await launcher.ActiveInstancesAsync(RunKinds.Entry, limit.Token)).Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), limit.Token);
            }
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("A run is still going; the next 'trading run', 'serve' or 'mcp' on this task hub finishes it.");
        }
    }
}
