using Trading.Cli.Configuration;

namespace Trading.Cli.Tests.Configuration;

public sealed class CliSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "settings-" + Guid.NewGuid().ToString("N"));

    public CliSettingsTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Values_of_local_settings_bind_with_the_functions_spelling_and_overrides_win()
    {
        File.WriteAllText(
            Path.Combine(_root, "local.settings.json"),
            """{ "IsEncrypted": false, "Values": { "Risk__MaxRiskPerTradePct": "2", "Serve:Urls": "http://127.0.0.1:9000", "Flag": true } }""");

        var configuration = CliSettings.Build(_root, new Dictionary<string, string?> { ["Serve:Urls"] = "http://127.0.0.1:9001" });

        Assert.Equal("2", configuration["Risk:MaxRiskPerTradePct"]);
        Assert.Equal("true", configuration["Flag"]);
        Assert.Equal("http://127.0.0.1:9001", configuration["Serve:Urls"]);
    }

    [Fact]
    public void Broken_local_settings_is_a_usage_error_naming_the_file()
    {
        var path = Path.Combine(_root, "local.settings.json");
        File.WriteAllText(path, "{ \"Values\": ");
        var error = Assert.Throws<CliUsageException>(() => CliSettings.Build(_root, null));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]", "must hold a JSON object")]
    [InlineData("{ \"Values\": [\"Risk__MaxContracts=1\"] }", "\"Values\" must be an object")]
    [InlineData("{\n  \"Values\": {\n    \"Risk__MaxContracts\": 1,,\n  }\n}", "at line 3, column")]
    public void A_local_settings_file_of_the_wrong_shape_or_with_an_error_says_where(string text, string expected)
    {
        File.WriteAllText(Path.Combine(_root, "local.settings.json"), text);
        var error = Assert.Throws<CliUsageException>(() => CliSettings.Build(_root, null));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_content_root_is_the_nearest_directory_with_the_solution()
    {
        var nested = Directory.CreateDirectory(Path.Combine(_root, "a", "b")).FullName;
        File.WriteAllText(Path.Combine(_root, "TradingFunctions.sln"), string.Empty);
        Assert.Equal(_root, CliSettings.FindContentRoot(nested));
    }
}
