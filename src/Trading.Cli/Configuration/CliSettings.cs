using Microsoft.Extensions.Configuration;
using Trading.Hosting;

namespace Trading.Cli.Configuration;

/// <summary>
/// Where the CLI reads its settings: the pipeline's shared configuration (the <c>Values</c> of an optional
/// <c>local.settings.json</c> at the repository root, then environment variables, then overrides), so the CLI and the
/// Functions app read the same names.
/// </summary>
public static class CliSettings
{
    /// <summary>The file the Functions host reads locally; the CLI reads the same one.</summary>
    public const string LocalSettingsFileName = "local.settings.json";

    /// <summary>
    /// The directory that holds <c>local.settings.json</c>, <c>.trading/</c> and <c>node_modules/</c>: the nearest directory,
    /// from <paramref name="start"/> upwards, that contains the solution file, else <paramref name="start"/> itself.
    /// </summary>
    /// <summary>
    /// The repository above <paramref name="start"/>, else the one above <paramref name="fallback"/> (the executable's folder:
    /// an agent may launch the built <c>trading</c> from any working directory), else <paramref name="start"/>.
    /// </summary>
    public static string FindContentRoot(string start, string fallback)
    {
        var root = FindContentRoot(start);
        if (File.Exists(Path.Combine(root, "TradingFunctions.sln")))
        {
            return root;
        }

        var beside = FindContentRoot(fallback);
        return File.Exists(Path.Combine(beside, "TradingFunctions.sln")) ? beside : root;
    }

    public static string FindContentRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradingFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }

    /// <summary>Builds the configuration; a malformed local.settings.json is a usage error naming the file.</summary>
    public static IConfiguration Build(string contentRoot, IReadOnlyDictionary<string, string?>? overrides)
    {
        try
        {
            return TradingConfiguration.Build(Path.Combine(contentRoot, LocalSettingsFileName), overrides);
        }
        catch (InvalidOperationException e)
        {
            throw new CliUsageException(e.Message + " Fix it or delete it; it is optional.", e);
        }
    }
}
