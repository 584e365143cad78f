namespace Trading.Infra.Tests;

/// <summary>Locates the repository the tests run from and the files the infrastructure tests read.</summary>
internal static class RepoFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the first ancestor of the test binaries holding TradingFunctions.sln.</summary>
    public static string Root => LazyRoot.Value;

    public static string InfraDirectory => Path.Combine(Root, "infra-bicep");

    public static string LocalSettingsExample => Path.Combine(Root, "local.settings.json.example");

    public static string DeploymentGuide => Path.Combine(Root, "docs", "deployment.md");

    /// <summary>The Azure Developer CLI project file (azd up).</summary>
    public static string AzureYaml => Path.Combine(Root, "azure.yaml");

    /// <summary>Every file under infra-bicep plus the settings example, the guide and azure.yaml: files that must never hold a secret.</summary>
    public static IReadOnlyList<string> InfraFiles()
    {
        var files = Directory.EnumerateFiles(InfraDirectory, "*", SearchOption.AllDirectories).ToList();
        files.Add(LocalSettingsExample);
        files.Add(DeploymentGuide);
        if (File.Exists(AzureYaml))
        {
            files.Add(AzureYaml);
        }
        return [.. files.Order(StringComparer.Ordinal)];
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradingFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No TradingFunctions.sln above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}
