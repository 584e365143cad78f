namespace Trading.Infra.Tests.Drift;

/// <summary>
/// Compares the three places a setting name lives: local.settings.json.example (what a developer runs with),
/// the Bicep template (what Azure runs with) and <c>AppSettingNames.All</c> (what the code reads).
/// </summary>
internal static class SettingsDrift
{
    /// <summary>
    /// The Functions host's storage wiring, which differs between the two environments by design and is the host's
    /// business rather than the app's: locally <c>AzureWebJobsStorage</c> is the emulator connection string and
    /// <c>FUNCTIONS_WORKER_RUNTIME</c> names the worker; in Azure the same connection is identity-based
    /// (<c>AzureWebJobsStorage__*</c>, no key) and Flex Consumption takes the runtime from functionAppConfig.runtime
    /// (it rejects FUNCTIONS_WORKER_RUNTIME), and Azure.Identity is told which managed identity to use.
    /// These names are left out of the comparison; other tests check that each environment sets its own half.
    /// </summary>
    public static readonly IReadOnlySet<string> LocalOnlyHostWiring = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage",
        "FUNCTIONS_WORKER_RUNTIME",
    };

    /// <inheritdoc cref="LocalOnlyHostWiring"/>
    public static readonly IReadOnlySet<string> AzureOnlyHostWiring = new HashSet<string>(StringComparer.Ordinal)
    {
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__credential",
        "AzureWebJobsStorage__clientId",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",

        // Read by Azure.Identity (not by our code) to choose the user-assigned identity in Azure. Locally it stays
        // unset so that DefaultAzureCredential falls through to the developer's own sign-in.
        "AZURE_CLIENT_ID",
    };

    /// <summary>
    /// Every difference between the sources, one readable line each; empty when they agree.
    /// Names compare ordinally: a setting spelled with different casing in two places is drift too.
    /// </summary>
    public static IReadOnlyList<string> Compare(
        IEnumerable<string> exampleNames,
        IEnumerable<string> templateNames,
        IEnumerable<string> codeNames)
    {
        var problems = new List<string>();
        var example = Comparable(exampleNames, "local.settings.json.example", problems);
        var template = Comparable(templateNames, "infra-bicep", problems);
        var code = Comparable(codeNames, "AppSettingNames.All", problems);

        Report(template, example, "is set by infra-bicep but missing from local.settings.json.example", problems);
        Report(example, template, "is in local.settings.json.example but not set by infra-bicep", problems);
        Report(code, template, "is in AppSettingNames.All but not set by infra-bicep", problems);
        Report(template, code, "is set by infra-bicep but missing from AppSettingNames.All", problems);
        Report(code, example, "is in AppSettingNames.All but missing from local.settings.json.example", problems);
        Report(example, code, "is in local.settings.json.example but missing from AppSettingNames.All", problems);
        return problems;
    }

    private static SortedSet<string> Comparable(IEnumerable<string> names, string source, List<string> problems)
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!set.Add(name))
            {
                problems.Add($"{name} appears more than once in {source}");
            }
        }

        set.ExceptWith(LocalOnlyHostWiring);
        set.ExceptWith(AzureOnlyHostWiring);
        return set;
    }

    private static void Report(SortedSet<string> from, SortedSet<string> missingIn, string what, List<string> problems) =>
        problems.AddRange(from.Where(name => !missingIn.Contains(name)).Select(name => $"{name} {what}"));
}
