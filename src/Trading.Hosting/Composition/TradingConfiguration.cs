using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Trading.Hosting;

/// <summary>
/// Builds the configuration every host uses (Functions app, CLI, tests): the <c>Values</c> of an optional local.settings.json
/// (the same names as the Functions app settings), then environment variables, then explicit overrides. <c>Section__Property</c>
/// names bind as <c>Section:Property</c> in all three.
/// </summary>
public static class TradingConfiguration
{
    /// <summary>Builds the configuration.</summary>
    /// <param name="localSettingsPath">A local.settings.json to read; null or missing file means none.</param>
    /// <param name="overrides">Values that win over everything (tests, command-line flags).</param>
    /// <param name="includeEnvironment">Read environment variables (tests turn it off for isolation).</param>
    public static IConfigurationRoot Build(
        string? localSettingsPath = null, IReadOnlyDictionary<string, string?>? overrides = null, bool includeEnvironment = true)
    {
        var builder = new ConfigurationBuilder();
        if (localSettingsPath is not null && File.Exists(localSettingsPath))
        {
            builder.AddInMemoryCollection(ReadLocalSettings(localSettingsPath));
        }

        if (includeEnvironment)
        {
            builder.AddEnvironmentVariables();
        }

        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides.Select(kv => new KeyValuePair<string, string?>(Normalize(kv.Key), kv.Value)));
        }

        return builder.Build();
    }

    /// <summary>The <c>Values</c> of a local.settings.json, keys normalized (<c>__</c> → <c>:</c>). Throws naming the file when it is malformed.</summary>
    public static IReadOnlyDictionary<string, string?> ReadLocalSettings(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"{path} must hold a JSON object with a \"Values\" object (like local.settings.json.example), not a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }

            if (document.RootElement.TryGetProperty("Values", out var section) && section.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidOperationException($"{path}: \"Values\" must be an object of setting names and values, not a {section.ValueKind.ToString().ToLowerInvariant()}.");
            }

            if (section.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in section.EnumerateObject())
                {
                    values[Normalize(property.Name)] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                }
            }

            return values;
        }
        catch (JsonException e)
        {
            // System.Text.Json counts lines and bytes from 0; editors count from 1.
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new InvalidOperationException($"{path} is not valid JSON{where}: {e.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0]}", e);
        }
    }

    private static string Normalize(string key) => key.Replace("__", ":", StringComparison.Ordinal);
}
