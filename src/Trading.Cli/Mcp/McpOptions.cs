using System.Globalization;

namespace Trading.Cli.Mcp;

/// <summary>
/// Settings of the MCP server (section <c>Mcp</c>; environment <c>Mcp__Keys__observer</c>, <c>Mcp__BacktestMaxDays</c>, ...).
/// </summary>
public sealed class McpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// The key of each profile for <c>/mcp</c> in <c>trading serve</c>, by profile name. A profile without a key gets one
    /// generated, stored in <see cref="KeyDirectory"/> and printed once, like the admin key.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where generated profile keys are kept (one file per profile), relative to the repository root unless absolute.</summary>
    public string KeyDirectory { get; set; } = Path.Combine(".trading", "mcp-keys");

    /// <summary>The longest backtest an agent may ask for, in calendar days.</summary>
    public int BacktestMaxDays { get; set; } = 366;

    /// <summary>The wall time a backtest may take before it is stopped, in seconds.</summary>
    public int BacktestTimeoutSeconds { get; set; } = 120;

    /// <summary>Every bad setting, each naming the setting and the rule it broke.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (name, key) in Keys)
        {
            if (McpProfiles.Find(name) is null)
            {
                errors.Add($"{SectionName}:Keys:{name} is not a profile; the profiles are {McpProfiles.Names}.");
            }
            else if (key.Length is > 0 and < 16)
            {
                errors.Add($"{SectionName}:Keys:{name} must be at least 16 characters (or empty to generate one).");
            }
        }

        var configured = Keys.Where(k => k.Value.Length > 0).ToList();
        if (configured.Select(k => k.Value).Distinct(StringComparer.Ordinal).Count() < configured.Count)
        {
            errors.Add($"{SectionName}:Keys must differ between profiles: the key decides the profile.");
        }

        if (string.IsNullOrWhiteSpace(KeyDirectory))
        {
            errors.Add($"{SectionName}:KeyDirectory must not be empty.");
        }

        if (BacktestMaxDays is < 1 or > 366 * 5)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:BacktestMaxDays must be between 1 and {366 * 5} (was {BacktestMaxDays})."));
        }

        if (BacktestTimeoutSeconds is < 1 or > 3600)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:BacktestTimeoutSeconds must be between 1 and 3600 (was {BacktestTimeoutSeconds})."));
        }

        return errors;
    }
}
