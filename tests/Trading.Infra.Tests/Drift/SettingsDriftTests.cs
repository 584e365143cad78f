using Trading.Infra.Tests.Bicep;

namespace Trading.Infra.Tests.Drift;

/// <summary>
/// The settings the app reads, the settings Azure gets and the settings a developer runs with must be the same names.
/// The last tests here alter copies of the sources to show that the comparison reports each kind of drift.
/// </summary>
public sealed class SettingsDriftTests
{
    private static IReadOnlyCollection<string> CodeNames() =>
        CodeSettingNames.TryLoad()
        ?? throw new Xunit.Sdk.XunitException(
            $"The code-side list of settings is missing: expected a public static IReadOnlyCollection<string> All on " +
            $"{CodeSettingNames.TypeName} in the {CodeSettingNames.AssemblyName} assembly.");

    private static IReadOnlyList<string> TemplateNames(string infraDirectory) =>
        [.. InfraTemplate.Load(infraDirectory).AppSettings().Select(s => s.Name)];

    private static IReadOnlyList<string> ExampleNames(string path) => [.. LocalSettingsExample.Read(path).Keys];

    private static void AssertNoDrift(IReadOnlyList<string> problems) =>
        Assert.True(problems.Count == 0, "Settings drift:\n  " + string.Join("\n  ", problems));

    [Fact]
    public void Code_side_list_of_settings_is_found_by_reflection()
    {
        var names = CodeNames();

        Assert.Contains("Alpaca__Environment", names);
        Assert.Contains("TRADING_SCHEDULE", names);
    }

    [Fact]
    public void Template_example_and_code_name_the_same_settings()
    {
        var problems = SettingsDrift.Compare(
            ExampleNames(RepoFiles.LocalSettingsExample),
            TemplateNames(RepoFiles.InfraDirectory),
            CodeNames());

        AssertNoDrift(problems);
    }

    [Fact]
    public void Template_defines_each_setting_once()
    {
        // union() lets a later object silently override an earlier one; a name defined twice is a mistake.
        var duplicates = InfraTemplate.Load(RepoFiles.InfraDirectory).AppSettings()
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} in {string.Join(" and ", g.Select(s => s.DefinedIn))}")
            .ToList();

        Assert.True(duplicates.Count == 0, "Defined more than once: " + string.Join("; ", duplicates));
    }

    [Fact]
    public void Only_the_two_settings_objects_reach_the_app_settings_resource()
    {
        // The scan finds settings by the 'var ...Settings = {' convention; this pins that the convention is the
        // whole story: hostSettings (module) and tradingSettings (main) are merged into the one appsettings resource.
        var template = InfraTemplate.Load(RepoFiles.InfraDirectory);
        var sources = template.AppSettings().Select(s => s.DefinedIn).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["main.bicep (tradingSettings)", "modules/functionapp.bicep (hostSettings)"], sources);

        var functionApp = template.StrippedFiles["modules/functionapp.bicep"];
        Assert.Matches(@"'Microsoft\.Web/sites/config@[\d-]+'\s*=\s*\{\s*parent:\s*site\s+name:\s*'appsettings'\s+properties:\s*union\(hostSettings,\s*appSettings\)", functionApp);
        Assert.Matches(@"\n\s*appSettings:\s*tradingSettings\s*\n", template.StrippedFiles["main.bicep"]);
        foreach (var (file, text) in template.StrippedFiles)
        {
            // The array form (siteConfig.appSettings: [{name, value}]) would bypass the scan.
            Assert.DoesNotMatch(@"appSettings\s*:\s*\[", text);
            Assert.True(!text.Contains("appSettingsKeyValuePairs", StringComparison.Ordinal), $"{file} sets settings another way");
        }
    }

    [Fact]
    public void Azure_uses_identity_based_host_storage_and_no_settings_Flex_Consumption_rejects()
    {
        var settings = InfraTemplate.Load(RepoFiles.InfraDirectory).AppSettings().ToDictionary(s => s.Name, s => s.Value);

        var missing = SettingsDrift.AzureOnlyHostWiring.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, "Missing identity-based host storage settings: " + string.Join(", ", missing));
        Assert.Equal("'managedidentity'", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("identityClientId", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("identityClientId", settings["AZURE_CLIENT_ID"]);
        string[] rejectedOnFlex =
        [
            "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION",
            "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
        ];
        var present = rejectedOnFlex.Where(settings.ContainsKey).ToList();
        Assert.True(present.Count == 0, "Settings Flex Consumption rejects (or a key-based connection): " + string.Join(", ", present));
    }

    [Fact]
    public void Local_example_uses_the_storage_emulator_and_the_isolated_worker()
    {
        var example = LocalSettingsExample.Read(RepoFiles.LocalSettingsExample);

        Assert.Equal("UseDevelopmentStorage=true", example["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", example["FUNCTIONS_WORKER_RUNTIME"]);
        var azureOnly = SettingsDrift.AzureOnlyHostWiring.Where(example.ContainsKey).ToList();
        Assert.True(azureOnly.Count == 0, "Identity-based settings in the local example would shadow the emulator: " + string.Join(", ", azureOnly));
    }

    [Fact]
    public void A_setting_added_only_to_the_template_is_reported()
    {
        using var temp = new TempDirectory();
        var infra = temp.CopyOf(RepoFiles.InfraDirectory);
        InsertAfter(Path.Combine(infra, "main.bicep"), "var tradingSettings = {", "  Risk__MaxVegaExposure: '1'");

        var problems = SettingsDrift.Compare(ExampleNames(RepoFiles.LocalSettingsExample), TemplateNames(infra), CodeNames());

        Assert.Contains("Risk__MaxVegaExposure is set by infra-bicep but missing from local.settings.json.example", problems);
        Assert.Contains("Risk__MaxVegaExposure is set by infra-bicep but missing from AppSettingNames.All", problems);
    }

    [Fact]
    public void A_setting_added_to_a_module_is_reported()
    {
        using var temp = new TempDirectory();
        var infra = temp.CopyOf(RepoFiles.InfraDirectory);
        InsertAfter(Path.Combine(infra, "modules", "functionapp.bicep"), "var hostSettings = {", "  WEBSITE_TIME_ZONE: 'UTC'");

        var problems = SettingsDrift.Compare(ExampleNames(RepoFiles.LocalSettingsExample), TemplateNames(infra), CodeNames());

        Assert.Contains("WEBSITE_TIME_ZONE is set by infra-bicep but missing from local.settings.json.example", problems);
    }

    [Fact]
    public void A_commented_out_setting_does_not_count()
    {
        using var temp = new TempDirectory();
        var infra = temp.CopyOf(RepoFiles.InfraDirectory);
        InsertAfter(Path.Combine(infra, "main.bicep"), "var tradingSettings = {", "  // Risk__Ghost: '1'\n  /* Risk__Phantom: '2' */");

        var problems = SettingsDrift.Compare(ExampleNames(RepoFiles.LocalSettingsExample), TemplateNames(infra), CodeNames());

        AssertNoDrift(problems);
    }

    [Fact]
    public void A_setting_missing_from_the_example_is_reported()
    {
        using var temp = new TempDirectory();
        var example = Path.Combine(temp.Path, "local.settings.json.example");
        var lines = File.ReadAllLines(RepoFiles.LocalSettingsExample).Where(l => !l.Contains("\"Condor__MinDte\"", StringComparison.Ordinal));
        File.WriteAllLines(example, lines);

        var problems = SettingsDrift.Compare(ExampleNames(example), TemplateNames(RepoFiles.InfraDirectory), CodeNames());

        Assert.Contains("Condor__MinDte is set by infra-bicep but missing from local.settings.json.example", problems);
        Assert.Contains("Condor__MinDte is in AppSettingNames.All but missing from local.settings.json.example", problems);
    }

    [Fact]
    public void A_setting_only_the_code_reads_is_reported()
    {
        var problems = SettingsDrift.Compare(
            ExampleNames(RepoFiles.LocalSettingsExample),
            TemplateNames(RepoFiles.InfraDirectory),
            [.. CodeNames(), "Exit__TrailingStopPct"]);

        Assert.Equal(
            [
                "Exit__TrailingStopPct is in AppSettingNames.All but not set by infra-bicep",
                "Exit__TrailingStopPct is in AppSettingNames.All but missing from local.settings.json.example",
            ],
            problems);
    }

    [Fact]
    public void Names_differing_only_in_case_are_drift_and_duplicates_are_reported()
    {
        var problems = SettingsDrift.Compare(["Risk__HaltTrading", "X"], ["risk__halttrading", "X"], ["Risk__HaltTrading", "X", "X"]);

        Assert.Contains("X appears more than once in AppSettingNames.All", problems);
        Assert.Contains("risk__halttrading is set by infra-bicep but missing from local.settings.json.example", problems);
        Assert.Contains("Risk__HaltTrading is in local.settings.json.example but not set by infra-bicep", problems);
    }

    private static void InsertAfter(string path, string anchor, string insertion)
    {
        var text = File.ReadAllText(path);
        var at = text.IndexOf(anchor, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{anchor}' not found in {path}");
        File.WriteAllText(path, text.Insert(at + anchor.Length, "\n" + insertion));
    }
}
