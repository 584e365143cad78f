using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Trading.Cli.Mcp;

/// <summary>The profile of the <c>trading mcp --profile NAME</c> process (stdio: one client, one profile).</summary>
public sealed record McpStdioProfile(McpProfile Profile);

/// <summary>
/// Who is calling, for one MCP request: the profile from the key presented over HTTP (a claim on the request's user), else
/// the stdio process's profile. Set by <see cref="McpProfileFilters"/> before a tool runs.
/// </summary>
public sealed class McpCaller
{
    /// <summary>The claim that carries the profile name on an authenticated <c>/mcp</c> request.</summary>
    public const string ProfileClaim = "trading_mcp_profile";

    /// <summary>The caller's profile, once the filter has resolved it.</summary>
    public McpProfile? Profile { get; set; }

    /// <summary>The profile of the request behind <paramref name="context"/>, or null when none can be established.</summary>
    public static McpProfile? Resolve(MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User?.FindFirst(ProfileClaim)?.Value is { } name)
        {
            return McpProfiles.Find(name);
        }

        return context.Services?.GetService<McpStdioProfile>()?.Profile;
    }

    /// <summary>The user an <c>/mcp</c> request acts as: authenticated, identified by its profile (so a session cannot change hands between profiles).</summary>
    public static ClaimsPrincipal PrincipalFor(McpProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, "mcp-profile:" + profile.Name), new Claim(ProfileClaim, profile.Name)],
            authenticationType: "TradingMcpKey"));
    }

    /// <summary>The refusal of a tool outside the caller's profile, naming the profile.</summary>
    public static McpProtocolException OutsideProfile(McpProfile? profile, string? tool)
    {
        var name = ObserverTools.Printable(tool ?? string.Empty);
        if (profile is null)
        {
            return new McpProtocolException($"Tool '{name}' refused: this session has no profile.", McpErrorCode.InvalidRequest);
        }

        var what = McpProfiles.AllTools.Contains(tool ?? string.Empty)
            ? $"Tool '{name}' is not in the '{profile.Name}' profile"
            : $"There is no tool '{name}' in the '{profile.Name}' profile";
        return new McpProtocolException(
            $"{what} ({profile.Purpose}) Its tools: {string.Join(", ", profile.Tools)}.",
            McpErrorCode.InvalidParams);
    }
}
