using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Trading.Cli.Mcp;

/// <summary>The MCP server as both hosts compose it: every tool and resource, the profile filters, the settings.</summary>
public static class McpServerSetup
{
    /// <summary>The server's name in the initialize handshake.</summary>
    public const string ServerName = "trading";

    /// <summary>Reads the <c>Mcp</c> section; never null.</summary>
    public static McpOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(McpOptions.SectionName).Get<McpOptions>() ?? new McpOptions();
    }

    /// <summary>
    /// Adds the MCP server with all tools and resources (profiles decide what a caller sees and may call) and returns the
    /// builder for the transport.
    /// </summary>
    public static IMcpServerBuilder AddTradingMcpServer(this IServiceCollection services, McpOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddScoped<McpCaller>();
        return services
            .AddMcpServer(server =>
            {
                server.ServerInfo = new Implementation { Name = ServerName, Version = typeof(McpServerSetup).Assembly.GetName().Version?.ToString() ?? "1.0" };
                server.ServerInstructions =
                    "SPY iron-condor paper trading. Start with get_status. Runs go through the whole pipeline and its risk manager; "
                    + "no tool places an order directly. Money is in US dollars. Run journals are resources trading://runs/{runId}, "
                    + "lessons trading://lessons/{lessonId}. Tools outside your profile are refused.";
            })
            .WithTools<ObserverTools>()
            .WithTools<ResearcherTools>()
            .WithTools<OperatorTools>()
            .WithResources<TradingResources>()
            .WithListResourcesHandler(TradingResources.ListAsync)
            .WithRequestFilters(filters => filters.AddProfileFilters());
    }
}
