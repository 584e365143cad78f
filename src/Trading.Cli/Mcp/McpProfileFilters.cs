using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace Trading.Cli.Mcp;

/// <summary>
/// Where profiles are enforced, for both transports: tools/list shows only the caller's profile's tools, and tools/call
/// refuses a tool outside it (an MCP error naming the profile) and arguments that do not fit the tool's schema, before the
/// tool runs.
/// </summary>
public static class McpProfileFilters
{
    /// <summary>Adds the list and call filters.</summary>
    public static IMcpRequestFilterBuilder AddProfileFilters(this IMcpRequestFilterBuilder filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.AddListToolsFilter(next => async (request, cancellationToken) =>
        {
            var profile = McpCaller.Resolve(request);
            var result = await next(request, cancellationToken);
            var allowed = result.Tools.Where(t => profile?.Allows(t.Name) == true).ToList();
            result.Tools.Clear();
            foreach (var tool in allowed)
            {
                result.Tools.Add(tool);
            }

            return result;
        });
        filters.AddCallToolFilter(next => async (request, cancellationToken) =>
        {
            var profile = McpCaller.Resolve(request);
            var name = request.Params?.Name;
            if (profile is null || !profile.Allows(name))
            {
                throw McpCaller.OutsideProfile(profile, name);
            }

            if (request.MatchedPrimitive is McpServerTool tool
                && ToolArguments.Check(tool.ProtocolTool.Name, tool.ProtocolTool.InputSchema, request.Params?.Arguments) is { } problem)
            {
                throw ToolResults.BadArgument(problem);
            }

            if (request.Services?.GetService<McpCaller>() is { } session)
            {
                session.Profile = profile;
            }

            return await next(request, cancellationToken);
        });
        return filters;
    }
}
