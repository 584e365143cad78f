using Trading.Infra.Tests.Compiler;

namespace Trading.Infra.Tests.Drift;

/// <summary>
/// The settings the app reads, the settings Azure gets (read from the template as the Bicep compiler compiles it) and
/// the settings a developer runs with must be the same names. The last tests alter copies of the sources to show that
/// the comparison reports each kind of drift.
/// </summary>
public sealed class SettingsDriftTests
{
    private static IReadOnlyCollection<string> CodeNames() =>
        CodeSettingNames.TryLoad()
        ?? throw new Xunit.Sdk.XunitException(
            $"The code-side list of settings is missing: expected a public static IReadOnlyCollection<string> All on " +
            $"{CodeSettingNames.TypeName} in the {CodeSettingNames.AssemblyName} assembly.");

    private static IReadOnlyList<string> TemplateNames(CompiledInfra infra) =>
        [.. infra.RequireTemplate().AppSettings().Select(s => s.Name)];

    private static Dictionary<string, string> TemplateSettings() =>
        CompiledInfra.Repo.RequireTemplate().AppSettings().ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);

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

    [BicepFact]
    public void Template_example_and_code_name_the_same_settings()
    {
        var problems = SettingsDrift.Compare(
            ExampleNames(RepoFiles.LocalSettingsExample),
            TemplateNames(CompiledInfra.Repo),
            CodeNames());

        AssertNoDrift(problems);
    }

    [BicepFact]
    public void Template_defines_each_setting_once()
    {
        // union() lets a later object silently override an earlier one; a name defined twice is a mistake.
        var duplicates = CompiledInfra.Repo.RequireTemplate().AppSettings()
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} in {string.Join(" and ", g.Select(s => s.DefinedIn))}")
            .ToList();

        Assert.True(duplicates.Count == 0, "Defined more than once: " + string.Join("; ", duplicates));
    }

    [BicepFact]
    public void Settings_reach_the_app_through_the_one_appsettings_resource()
    {
        var sources = CompiledInfra.Repo.RequireTemplate().AppSettings().Select(s => s.DefinedIn).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(
            [
                "main/functionApp appsettings (parameters('appSettings'))",
                "main/functionApp appsettings (variables('hostSettings'))",
            ],
            sources);
    }

    [BicepFact]
    public void Azure_uses_identity_based_host_storage_and_no_settings_Flex_Consumption_rejects()
    {
        var settings = TemplateSettings();

        var missing = SettingsDrift.AzureOnlyHostWiring.Where(name => !settings.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, "Missing identity-based host storage settings: " + string.Join(", ", missing));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AZURE_CLIENT_ID"]);
        Assert.Equal("[parameters('blobEndpoint')]", settings["AzureWebJobsStorage__blobServiceUri"]);
        Assert.Equal("[parameters('queueEndpoint')]", settings["AzureWebJobsStorage__queueServiceUri"]);
        Assert.Equal("[parameters('tableEndpoint')]", settings["AzureWebJobsStorage__tableServiceUri"]);
        string[] rejectedOnFlex =
        [
            "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME_VERSION",
            "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
            "AzureWebJobsStorage__managedIdentityResourceId",
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

    [BicepFact]
    public void Settings_added_to_a_copy_of_main_and_of_a_module_are_reported()
    {
        using var temp = new TempDirectory();
        var infra = temp.CopyOf(RepoFiles.InfraDirectory);
        InsertAfter(Path.Combine(infra, "main.bicep"), "var tradingSettings = {", "  Risk__MaxVegaExposure: '1'");
        InsertAfter(Path.Combine(infra, "modules", "functionapp.bicep"), "var hostSettings = {", "  WEBSITE_TIME_ZONE: 'UTC'");

        var problems = SettingsDrift.Compare(ExampleNames(RepoFiles.LocalSettingsExample), TemplateNames(CompiledInfra.Compile(infra, parameters: false)), CodeNames());

        Assert.Contains("Risk__MaxVegaExposure is set by infra-bicep but missing from local.settings.json.example", problems);
        Assert.Contains("Risk__MaxVegaExposure is set by infra-bicep but missing from AppSettingNames.All", problems);
        Assert.Contains("WEBSITE_TIME_ZONE is set by infra-bicep but missing from AppSettingNames.All", problems);
    }

    [BicepFact]
    public void A_setting_missing_from_the_example_is_reported()
    {
        using var temp = new TempDirectory();
        var example = Path.Combine(temp.Path, "local.settings.json.example");
        var lines = File.ReadAllLines(RepoFiles.LocalSettingsExample).Where(l => !l.Contains("\"Condor__MinDte\"", StringComparison.Ordinal));
        File.WriteAllLines(example, lines);

        var problems = SettingsDrift.Compare(ExampleNames(example), TemplateNames(CompiledInfra.Repo), CodeNames());

        Assert.Contains("Condor__MinDte is set by infra-bicep but missing from local.settings.json.example", problems);
        Assert.Contains("Condor__MinDte is in AppSettingNames.All but missing from local.settings.json.example", problems);
    }

    [BicepFact]
    public void A_setting_only_the_code_reads_is_reported()
    {
        var problems = SettingsDrift.Compare(
            ExampleNames(RepoFiles.LocalSettingsExample),
            TemplateNames(CompiledInfra.Repo),
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
