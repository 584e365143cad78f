using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradingFunctions.Tests.Hosting;

/// <summary>
/// The functions.metadata the Functions SDK generated for the app (what the host indexes): every function with its trigger,
/// route, methods, auth level and schedule setting, and the settings and host.json it depends on.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string RepositoryRoot = FindRoot();

    /// <summary>The dashboard page and its static files: anonymous (they hold no data; the page asks for the key for its panels).</summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal) { "DashboardPage", "DashboardStatic" };

    /// <summary>Functions that read stores only (no orchestration client).</summary>
    private static readonly HashSet<string> WithoutDurableClient = new(StringComparer.Ordinal) { "DashboardPage", "DashboardStatic", "DashboardPanel" };

    /// <summary>name → (trigger, route, methods, schedule); every HTTP route is Function level except <see cref="Anonymous"/>.</summary>
    private static readonly Dictionary<string, (string Trigger, string? Route, string? Methods, string? Schedule)> Expected = new(StringComparer.Ordinal)
    {
        ["Status"] = ("httpTrigger", "status", "get", null),
        ["StartRun"] = ("httpTrigger", "runs", "post", null),
        ["GetRun"] = ("httpTrigger", "runs/{id}", "get", null),
        ["Halt"] = ("httpTrigger", "halt", "post", null),
        ["Resume"] = ("httpTrigger", "resume", "post", null),
        ["DashboardPage"] = ("httpTrigger", "dashboard", "get", null),
        ["DashboardStatic"] = ("httpTrigger", "dashboard/static/{file}", "get", null),
        ["DashboardPanel"] = ("httpTrigger", "dashboard/{panel}", "get", null),
        ["EntryTimer"] = ("timerTrigger", null, null, "%TRADING_SCHEDULE%"),
        ["ManageTimer"] = ("timerTrigger", null, null, "%MANAGE_SCHEDULE%"),
        ["EntryOrchestration"] = ("orchestrationTrigger", null, null, null),
        ["ManagePositionsOrchestration"] = ("orchestrationTrigger", null, null, null),
        ["MarketSnapshot"] = ("activityTrigger", null, null, null),
        ["AnalyzeMarket"] = ("activityTrigger", null, null, null),
        ["SelectStrategy"] = ("activityTrigger", null, null, null),
        ["RecallTradeMemory"] = ("activityTrigger", null, null, null),
        ["RetrieveLessons"] = ("activityTrigger", null, null, null),
        ["AssessRisk"] = ("activityTrigger", null, null, null),
        ["SeatCouncil"] = ("activityTrigger", null, null, null),
        ["CastVote"] = ("activityTrigger", null, null, null),
        ["DecideExecution"] = ("activityTrigger", null, null, null),
        ["PlaceOrder"] = ("activityTrigger", null, null, null),
        ["RecordRun"] = ("activityTrigger", null, null, null),
        ["LoadOpenPositions"] = ("activityTrigger", null, null, null),
        ["EvaluateExit"] = ("activityTrigger", null, null, null),
        ["ClosePosition"] = ("activityTrigger", null, null, null),
        ["RecordOutcome"] = ("activityTrigger", null, null, null),
    };

    [Fact]
    public void The_generated_metadata_lists_exactly_the_expected_functions_triggers_routes_methods_and_schedules()
    {
        var functions = Metadata();

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), functions.Select(f => f["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var function in functions)
        {
            var name = function["name"]!.GetValue<string>();
            var (trigger, route, methods, schedule) = Expected[name];
            var bindings = function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            var triggerBinding = Assert.Single(bindings, b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));
            Assert.True(trigger == triggerBinding["type"]!.GetValue<string>(), $"{name}: trigger {triggerBinding["type"]}");
            Assert.Equal(route, triggerBinding["route"]?.GetValue<string>());
            Assert.Equal(methods, triggerBinding["methods"] is JsonArray m ? string.Join(",", m.Select(x => x!.GetValue<string>())) : null);
            Assert.Equal(schedule, triggerBinding["schedule"]?.GetValue<string>());
            if (trigger == "httpTrigger")
            {
                var level = Anonymous.Contains(name) ? "Anonymous" : "Function";
                Assert.True(level == triggerBinding["authLevel"]?.GetValue<string>(), $"{name}: authLevel {triggerBinding["authLevel"]}");
                Assert.Equal(!WithoutDurableClient.Contains(name), bindings.Any(b => b["type"]!.GetValue<string>() == "durableClient"));
            }

            if (trigger == "timerTrigger")
            {
                Assert.Contains(bindings, b => b["type"]!.GetValue<string>() == "durableClient");
                Assert.NotEqual(true, triggerBinding["runOnStartup"]?.GetValue<bool>());
            }
        }
    }

    [Fact]
    public void Every_schedule_setting_is_in_the_local_settings_example_and_host_json_configures_the_durable_hub()
    {
        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "local.settings.json.example")));
        var values = example.RootElement.GetProperty("Values");
        foreach (var schedule in Expected.Values.Select(e => e.Schedule).OfType<string>())
        {
            var setting = schedule.Trim('%');
            Assert.True(values.TryGetProperty(setting, out var value) && value.GetString()!.Split(' ').Length == 6, $"{setting}: missing or not six-field NCRONTAB");
        }

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;
        Assert.Equal("2.0", host["version"]!.GetValue<string>());
        Assert.Equal("%TASKHUB_NAME%", host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());
        Assert.Equal("AzureWebJobsStorage", host["extensions"]!["durableTask"]!["storageProvider"]!["connectionName"]!.GetValue<string>());
        Assert.True(values.TryGetProperty("TASKHUB_NAME", out _));
    }

    /// <summary>The app's own build output (same configuration as this test assembly).</summary>
    private static List<JsonObject> Metadata()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "src", "TradingFunctions", "bin", configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(path), $"{path} was not generated by the build.");
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(f => f!.AsObject()).ToList();
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

        throw new InvalidOperationException("TradingFunctions.sln not found above " + AppContext.BaseDirectory);
    }
}
