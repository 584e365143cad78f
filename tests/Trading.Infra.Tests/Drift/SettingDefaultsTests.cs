using System.Globalization;
using System.Reflection;
using Trading.Hosting;

namespace Trading.Infra.Tests.Drift;

/// <summary>
/// The values in local.settings.json.example (and, through TradingModeTests, the Bicep parameter defaults) must be the
/// defaults the code itself uses: a deployment that "uses the defaults" should trade exactly as the README says.
/// </summary>
public sealed class SettingDefaultsTests
{
    private static readonly IReadOnlyDictionary<string, string> Example = LocalSettingsExample.Read(RepoFiles.LocalSettingsExample);

    public static TheoryData<string> SectionSettings()
    {
        var data = new TheoryData<string>();
        foreach (var name in AppSettingNames.All.Where(n => n.Contains("__", StringComparison.Ordinal) && n != AppSettingNames.RiskHaltTrading
                     && OptionsTypeFor(n.Split("__")[0]) is not null))
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SectionSettings))]
    public void Example_value_equals_the_options_class_default(string setting)
    {
        var parts = setting.Split("__");
        var type = OptionsTypeFor(parts[0])!;
        var property = type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance);
        Assert.True(property is not null, $"{setting}: {type.FullName} has no property {parts[1]}; the setting would be ignored.");
        var codeDefault = Format(property!.GetValue(Activator.CreateInstance(type)));
        Assert.True(Example.TryGetValue(setting, out var example), $"{setting} is missing from local.settings.json.example.");
        Assert.True(codeDefault == example, $"{setting}: local.settings.json.example says '{example}' but {type.Name}.{parts[1]} defaults to '{codeDefault}'.");
    }

    [Fact]
    public void The_halt_setting_is_read_by_the_halt_switch_and_off_by_default()
    {
        // Risk__HaltTrading is not a RiskLimits property: the halt switch reads it on every check, so it works without a restart.
        Assert.Equal(Trading.Pipeline.State.HaltSwitch.HaltSetting, AppSettingNames.RiskHaltTrading.Replace("__", ":", StringComparison.Ordinal));
        Assert.Equal("false", Example[AppSettingNames.RiskHaltTrading]);
    }

    [Fact]
    public void Every_options_section_in_the_settings_list_is_found_in_code()
    {
        var sections = AppSettingNames.All.Where(n => n.Contains("__", StringComparison.Ordinal) && !n.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal))
            .Select(n => n.Split("__")[0]).Distinct().ToArray();
        var missing = sections.Where(s => OptionsTypeFor(s) is null && s != "Storage").ToArray();
        Assert.True(missing.Length == 0, "No options class with SectionName for: " + string.Join(", ", missing));
    }

    private static Type? OptionsTypeFor(string section) =>
        OptionsTypes.Value.TryGetValue(section, out var type) ? type : null;

    private static readonly Lazy<Dictionary<string, Type>> OptionsTypes = new(() =>
    {
        var assemblies = new[] { "Trading.Core", "Trading.Gateway", "Trading.Markets", "Trading.Lessons", "Trading.Pipeline", "Trading.Hosting" }
            .Select(n => Assembly.Load(n));
        var map = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in assemblies.SelectMany(a => a.GetExportedTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string name && type.GetConstructor(Type.EmptyTypes) is not null)
            {
                map.TryAdd(name, type);
            }
        }

        return map;
    });

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
