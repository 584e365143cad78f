using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Bicep;

/// <summary>
/// The Bicep files of one infra directory (the real infra-bicep, or an altered copy in a test), read once.
/// App settings are found by convention: every object literal assigned to a variable whose name ends in
/// <c>Settings</c> (<c>var hostSettings = {...}</c> in modules/functionapp.bicep, <c>var tradingSettings = {...}</c>
/// in main.bicep). A test pins that these are the only objects that reach the site's <c>appsettings</c> resource.
/// </summary>
internal sealed partial class InfraTemplate
{
    private InfraTemplate(string directory, IReadOnlyDictionary<string, string> strippedFiles)
    {
        Directory = directory;
        StrippedFiles = strippedFiles;
    }

    public string Directory { get; }

    /// <summary>Relative path (with '/') → file text with comments blanked out.</summary>
    public IReadOnlyDictionary<string, string> StrippedFiles { get; }

    public static InfraTemplate Load(string directory)
    {
        var files = RepoFiles.BicepFiles(directory).ToDictionary(
            path => Path.GetRelativePath(directory, path).Replace('\\', '/'),
            path => BicepText.StripComments(File.ReadAllText(path)),
            StringComparer.Ordinal);
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"No .bicep files under {directory}.");
        }

        return new InfraTemplate(directory, files);
    }

    /// <summary>Every app setting the templates define: its name, value expression, and where it is defined.</summary>
    public IReadOnlyList<AppSetting> AppSettings()
    {
        var settings = new List<AppSetting>();
        foreach (var (file, text) in StrippedFiles)
        {
            foreach (var (match, body) in BicepText.ObjectsAfter(text, SettingsVariable()))
            {
                settings.AddRange(BicepText.ObjectEntries(body)
                    .Select(e => new AppSetting(e.Key, e.Value, $"{file} ({match.Groups["variable"].Value})")));
            }
        }

        return settings;
    }

    /// <summary>The top-level entries of the object assigned to <c>var {name} = {...}</c> in one file.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> VariableObject(string file, string name)
    {
        var objects = BicepText.ObjectsAfter(StrippedFiles[file], new Regex(@$"\bvar\s+{Regex.Escape(name)}\s*=\s*"));
        return objects.Count == 1
            ? BicepText.ObjectEntries(objects[0].Body)
            : throw new InvalidOperationException($"Expected one 'var {name} = {{...}}' in {file}, found {objects.Count}.");
    }

    /// <summary>The bodies of every object literal that is the value of <c>key:</c> in one file.</summary>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> PropertyObjects(string file, string key) =>
        [.. BicepText.ObjectsAfter(StrippedFiles[file], new Regex(@$"(?<![\w.]){Regex.Escape(key)}\s*:\s*"))
            .Select(o => BicepText.ObjectEntries(o.Body))];

    /// <summary>Every <c>param</c> in every file.</summary>
    public IReadOnlyList<(string File, BicepParameter Parameter)> Parameters() =>
        [.. StrippedFiles.SelectMany(f => BicepText.Parameters(f.Value).Select(p => (f.Key, p)))];

    // 'var <anything>Settings =' directly before an object literal.
    [GeneratedRegex(@"\bvar\s+(?<variable>\w*Settings)\s*=\s*")]
    private static partial Regex SettingsVariable();
}

/// <summary>One app setting the template defines.</summary>
internal sealed record AppSetting(string Name, string Value, string DefinedIn);
