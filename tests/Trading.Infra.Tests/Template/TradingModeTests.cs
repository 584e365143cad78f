using System.Globalization;
using NCrontab;
using Trading.Infra.Tests.Bicep;
using Trading.Infra.Tests.Drift;

namespace Trading.Infra.Tests.Template;

/// <summary>
/// What the deployed app does by default: paper trading, not halted, secrets from Key Vault, and schedules that are
/// valid NCRONTAB and agree with the local example.
/// </summary>
public sealed class TradingModeTests
{
    private static readonly InfraTemplate Infra = InfraTemplate.Load(RepoFiles.InfraDirectory);
    private static readonly IReadOnlyDictionary<string, string> Example = LocalSettingsExample.Read(RepoFiles.LocalSettingsExample);

    private static BicepParameter MainParameter(string name) =>
        Infra.Parameters().Single(p => p.File == "main.bicep" && p.Parameter.Name == name).Parameter;

    private static string Setting(string name) => Infra.AppSettings().Single(s => s.Name == name).Value;

    [Fact]
    public void Alpaca_environment_is_paper_unless_live_is_passed_explicitly()
    {
        var parameter = MainParameter("alpacaEnvironment");
        Assert.Equal("'paper'", parameter.Default);
        Assert.Matches(@"@allowed\(\[\s*'paper'\s+'live'\s*\]\)", parameter.Decorators);
        Assert.Equal("alpacaEnvironment", Setting("Alpaca__Environment"));
        Assert.Equal("paper", Example["Alpaca__Environment"]);

        // No committed file switches live trading on: that is a command-line decision (docs/deployment.md).
        var bicepparam = File.ReadAllText(Path.Combine(RepoFiles.InfraDirectory, "main.bicepparam"));
        Assert.Matches(@"(?m)^param alpacaEnvironment = 'paper'\s*$", bicepparam);
        foreach (var file in RepoFiles.InfraFiles())
        {
            Assert.DoesNotMatch(@"(?i)alpacaEnvironment\s*[:=]\s*'live'|Alpaca__Environment""?\s*[:=]\s*['""]live", File.ReadAllText(file));
        }
    }

    [Fact]
    public void Trading_is_not_halted_by_default_and_the_halt_switch_is_a_setting()
    {
        Assert.Equal("false", MainParameter("haltTrading").Default);
        Assert.Equal("string(haltTrading)", Setting("Risk__HaltTrading"));
        Assert.Equal("false", Example["Risk__HaltTrading"]);
    }

    [Theory]
    [InlineData("LLM_GATEWAY_API_KEY", "llmGatewayApiKeySecretUri")]
    [InlineData("ALPACA_API_KEY_ID", "alpacaApiKeyIdSecretUri")]
    [InlineData("ALPACA_API_SECRET_KEY", "alpacaApiSecretKeySecretUri")]
    public void Secrets_reach_the_app_only_as_Key_Vault_references(string setting, string secretUriOutput)
    {
        Assert.Equal($"'@Microsoft.KeyVault(SecretUri=${{keyVault.outputs.{secretUriOutput}}})'", Setting(setting));
        Assert.Matches($@"output {secretUriOutput} string = '\${{vault\.properties\.vaultUri}}secrets/\${{\w+SecretName}}'", Infra.StrippedFiles["modules/keyvault.bicep"]);
        Assert.Equal("<from Key Vault>", Example[setting]);
    }

    [Fact]
    public void Schedules_default_to_the_same_valid_UTC_NCRONTAB_in_Azure_and_locally()
    {
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = true };
        foreach (var (parameter, setting) in new[] { ("tradingSchedule", "TRADING_SCHEDULE"), ("manageSchedule", "MANAGE_SCHEDULE") })
        {
            Assert.Equal(parameter, Setting(setting));
            var azure = BicepText.StringLiteral(MainParameter(parameter).Default!);
            Assert.Equal(Example[setting], azure);
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

    [Fact]
    public void Parameter_defaults_for_trading_limits_match_the_local_example()
    {
        // Every setting bound straight from a main.bicep parameter (directly or through string(...)) must default
        // to the value the local example uses, so a developer and a fresh deployment trade the same way.
        var parameters = Infra.Parameters().Where(p => p.File == "main.bicep").ToDictionary(p => p.Parameter.Name, p => p.Parameter);
        var compared = 0;
        foreach (var setting in Infra.AppSettings())
        {
            var reference = System.Text.RegularExpressions.Regex.Match(setting.Value, @"^(?:string\((\w+)\)|(\w+))$");
            var name = reference.Groups[1].Success ? reference.Groups[1].Value : reference.Groups[2].Value;
            if (!reference.Success || !parameters.TryGetValue(name, out var parameter) || parameter.Default is null)
            {
                continue;
            }

            var azureDefault = BicepText.StringLiteral(parameter.Default) ?? parameter.Default;
            Assert.True(Example[setting.Name] == azureDefault, $"{setting.Name}: main.bicep defaults to '{azureDefault}', local example has '{Example[setting.Name]}'");
            compared++;
        }

        Assert.True(compared >= 20, $"Only {compared} settings were compared; the parameter pattern no longer matches.");
    }
}
