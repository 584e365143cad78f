using Microsoft.Extensions.Configuration;

namespace Trading.Cli.Configuration;

/// <summary>
/// Where the CLI reads its settings: environment variables over the <c>Values</c> section of an optional
/// <c>local.settings.json</c> (the names the Functions app uses), over overrides given by a test.
/// </summary>
public static class CliSettings
{
    /// <summary>The file the Functions host reads locally; the CLI reads the same one.</summary>
    public const string LocalSettingsFileName = "local.settings.json";

    /// <summary>
    /// The directory that holds <c>local.settings.json</c>, <c>.trading/</c> and <c>node_modules/</c>: the nearest directory,
    /// from <paramref name="start"/> upwards, that contains the solution file, else <paramref name="start"/> itself.
    /// </summary>
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

    /// <summary>Reads the <c>Values</c> object of a local.settings.json file; keys keep the Functions spelling (<c>Risk__MaxRiskPerTradePct</c>).</summary>
    public static IReadOnlyDictionary<string, string?> ReadLocalSettingsValues(string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return values;
        }

        using var stream = File.OpenRead(path);
        System.Text.Json.JsonDocument doc;
        try
        {
            doc = System.Text.Json.JsonDocument.Parse(stream, new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new CliUsageException($"{path} is not valid JSON ({ex.Message}). Fix it or delete it; it is optional.");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("Values", out var section)
                && section.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    values[property.Name.Replace("__", ":", StringComparison.Ordinal)] = property.Value.ValueKind switch
                    {
                        System.Text.Json.JsonValueKind.String => property.Value.GetString(),
                        System.Text.Json.JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                }
            }
        }

        return values;
    }

    /// <summary>Builds the configuration: local.settings.json Values &lt; environment variables &lt; explicit overrides (tests, command options).</summary>
    public static IConfiguration Build(string contentRoot, IReadOnlyDictionary<string, string?>? overrides)
    {
        var builder = new ConfigurationBuilder();
        builder.AddInMemoryCollection(ReadLocalSettingsValues(Path.Combine(contentRoot, LocalSettingsFileName)));
        builder.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return builder.Build();
    }
}
