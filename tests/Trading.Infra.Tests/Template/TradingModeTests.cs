using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NCrontab;
using Trading.Infra.Tests.Compiler;
using Trading.Infra.Tests.Drift;

namespace Trading.Infra.Tests.Template;

/// <summary>
/// What the deployed app does by default, read from the compiled template and parameters file: paper trading, not
/// halted, and schedules that are valid NCRONTAB and agree with the local example.
/// </summary>
public sealed partial class TradingModeTests
{
    private static readonly IReadOnlyDictionary<string, string> Example = LocalSettingsExample.Read(RepoFiles.LocalSettingsExample);

    private static ArmTemplate Main => CompiledInfra.Repo.RequireTemplate();

    private static JsonNode? Declaration(string parameter) => Main.Root["parameters"]?[parameter];

    private static string Setting(string name) => Main.AppSettings().Single(s => s.Name == name).Value;

    [BicepFact]
    public void Alpaca_environment_is_paper_unless_live_is_passed_explicitly()
    {
        Assert.Equal("paper", (string?)Declaration("alpacaEnvironment")?["defaultValue"]);
        Assert.Equal(["paper", "live"], Declaration("alpacaEnvironment")?["allowedValues"]?.AsArray().Select(v => (string?)v));
        Assert.Equal("paper", (string?)CompiledInfra.Repo.EffectiveParameter("alpacaEnvironment"));
        Assert.Equal("[parameters('alpacaEnvironment')]", Setting("Alpaca__Environment"));
        Assert.Equal("paper", Example["Alpaca__Environment"]);

        // No committed file switches live trading on: that is a command-line decision (docs/deployment.md).
        foreach (var file in RepoFiles.InfraFiles())
        {
            Assert.DoesNotMatch(@"(?i)alpacaEnvironment\s*[:=]\s*'live'|Alpaca__Environment""?\s*[:=]\s*['""]live", File.ReadAllText(file));
        }
    }

    [BicepFact]
    public void Trading_is_not_halted_by_default_and_the_halt_switch_is_a_setting()
    {
        Assert.False((bool?)Declaration("haltTrading")?["defaultValue"]);
        Assert.False((bool?)CompiledInfra.Repo.EffectiveParameter("haltTrading"));
        Assert.Equal("[string(parameters('haltTrading'))]", Setting("Risk__HaltTrading"));
        Assert.Equal("false", Example["Risk__HaltTrading"]);
    }

    [BicepFact]
    public void Task_hub_name_is_one_the_Azure_Storage_provider_accepts_and_matches_the_local_example()
    {
        Assert.Equal(3, (int?)Declaration("taskHubName")?["minLength"]);
        Assert.Equal(45, (int?)Declaration("taskHubName")?["maxLength"]);
        var deployed = (string?)CompiledInfra.Repo.EffectiveParameter("taskHubName");
        Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,44}$", deployed);
        Assert.Equal(Example["TASKHUB_NAME"], deployed);
        Assert.Equal("[parameters('taskHubName')]", Setting("TASKHUB_NAME"));
    }

    [BicepFact]
    public void Schedules_default_to_the_same_valid_UTC_NCRONTAB_in_Azure_and_locally()
    {
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = true };
        foreach (var (parameter, setting) in new[] { ("tradingSchedule", "TRADING_SCHEDULE"), ("manageSchedule", "MANAGE_SCHEDULE") })
        {
            Assert.Equal($"[parameters('{parameter}')]", Setting(setting));
            var azure = (string?)CompiledInfra.Repo.EffectiveParameter(parameter);
            Assert.Equal(Example[setting], azure);
            Assert.Equal(azure, (string?)Declaration(parameter)?["defaultValue"]);
            Assert.NotNull(CrontabSchedule.TryParse(azure, options));
        }

        // 10:00 New York is 14:00 UTC in summer (EDT) and 15:00 UTC in winter (EST): both slots, weekdays only.
        var trading = CrontabSchedule.Parse(Example["TRADING_SCHEDULE"], options);
        var monday = new DateTime(2026, 3, 2, 0, 0, 0, DateTimeKind.Utc);
        var week = trading.GetNextOccurrences(monday, monday.AddDays(7)).ToList();
        Assert.Equal(10, week.Count);
        Assert.All(week, t => Assert.True(t.Hour is 14 or 15 && t.Minute == 0 && t.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday),
            t.ToString("u", CultureInfo.InvariantCulture)));
    }

    [BicepFact]
    public void Deployed_values_of_settings_bound_to_parameters_match_the_local_example()
    {
        // Every setting bound straight to a main.bicep parameter (directly or through string(...)) gets, in a deployment
        // with main.bicepparam, the value the local example uses: a developer and a fresh deployment trade the same way.
        var compared = 0;
        foreach (var setting in Main.AppSettings())
        {
            var reference = ParameterReference().Match(setting.Value);
            if (!reference.Success || setting.DefinedIn.Contains("hostSettings", StringComparison.Ordinal))
            {
                continue;
            }

            var value = CompiledInfra.Repo.EffectiveParameter(reference.Groups["name"].Value);
            var deployed = value?.GetValueKind() switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => value.ToJsonString(),
                _ => (string?)value,
            };
            Assert.True(Example[setting.Name] == deployed, $"{setting.Name}: a deployment gets '{deployed}', the local example has '{Example[setting.Name]}'");
            compared++;
        }

        Assert.True(compared >= 20, $"Only {compared} settings were compared; the parameter pattern no longer matches.");
    }

    [GeneratedRegex(@"^\[(?:string\()?parameters\('(?<name>\w+)'\)\)?\]$")]
    private static partial Regex ParameterReference();
}
