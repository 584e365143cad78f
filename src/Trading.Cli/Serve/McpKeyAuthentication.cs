using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Trading.Cli.Mcp;

namespace Trading.Cli.Serve;

/// <summary>The key of each MCP profile for <c>/mcp</c>: configured (<c>Mcp:Keys:NAME</c>) or generated once and stored.</summary>
public sealed class McpProfileKeys
{
    private McpProfileKeys(IReadOnlyList<(McpProfile Profile, AdminKey Key)> keys) => Keys = keys;

    /// <summary>Each profile with its key.</summary>
    public IReadOnlyList<(McpProfile Profile, AdminKey Key)> Keys { get; }

    /// <summary>Resolves every profile's key (configured, stored, else generated and stored in <see cref="McpOptions.KeyDirectory"/>).</summary>
    public static McpProfileKeys Resolve(McpOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new McpProfileKeys(McpProfiles.All
            .Select(p => (p, AdminKey.Resolve(
                options.Keys.TryGetValue(p.Name, out var configured) ? configured : null,
                $"{McpOptions.SectionName}:Keys:{p.Name}",
                Path.Combine(options.KeyDirectory, p.Name),
                contentRoot)))
            .ToArray());
    }

    /// <summary>The profile whose key was presented, or null (no key, or a key of no profile).</summary>
    public McpProfile? ProfileOf(string? presented) => Keys.FirstOrDefault(k => k.Key.Matches(presented)).Profile;
}

/// <summary>
/// Authorization of <c>/mcp</c> in <c>trading serve</c>: the key (<c>Authorization: Bearer KEY</c> or the
/// <c>x-functions-key</c> header) decides the profile; no key or a key of no profile gets 401 before the MCP server sees the
/// request. The admin key of <c>/api</c> is not an MCP key.
/// </summary>
public static class McpKeyAuthentication
{
    /// <summary>The path the MCP server is mapped at.</summary>
    public const string Path = "/mcp";

    /// <summary>Requires a profile key on every request under <see cref="Path"/> and sets the request's user to that profile.</summary>
    public static IApplicationBuilder UseMcpProfileKeys(this IApplicationBuilder app, McpProfileKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            if (keys.ProfileOf(PresentedKey(context.Request)) is { } profile)
            {
                context.User = McpCaller.PrincipalFor(profile);
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(
                new
                {
                    error = $"A profile key is required for {Path}: send it as 'Authorization: Bearer <key>' or in the {FunctionKeyAuthentication.HeaderName} header. "
                        + $"Each profile ({McpProfiles.Names}) has its own key ({McpOptions.SectionName}__Keys__<profile>).",
                },
                context.RequestAborted);
        });
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.Authorization is { Count: 1 } authorization
            && authorization[0] is { } value
            && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value["Bearer ".Length..].Trim();
        }

        return request.Headers.TryGetValue(FunctionKeyAuthentication.HeaderName, out var header) && header.Count == 1 ? header[0] : null;
    }
}
