using System.Text.Json;

namespace Trading.Infra.Tests.Drift;

/// <summary>Reads the setting names and values from a local.settings.json(.example) file's <c>Values</c> object.</summary>
internal static class LocalSettingsExample
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path} has no \"Values\" object.");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in values.EnumerateObject())
        {
            // local.settings.json values are strings; anything else would not reach the app as an environment variable.
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"{path}: Values.{property.Name} must be a string.");
            }

            if (!settings.TryAdd(property.Name, property.Value.GetString()!))
            {
                throw new InvalidDataException($"{path}: Values.{property.Name} appears twice.");
            }
        }

        return settings;
    }
}
