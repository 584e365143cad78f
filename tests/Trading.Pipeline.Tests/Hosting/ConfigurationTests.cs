using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting;

namespace Trading.Pipeline.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Fact]
    public void Every_bad_setting_is_listed_in_one_error()
    {
        var configuration = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?>
        {
            ["Council__MinApprovalConfidence"] = "1.7",
            ["Execution__MinCreditDollars"] = "-1",
            ["Pipeline__Variants"] = "d15-w5,oops",
            ["Risk__MaxRiskPerTradePct"] = "abc",
            ["TRADING_SCHEDULE"] = "every day",
        });

        var error = Assert.Throws<TradingConfigurationException>(() => PipelineSettings.Bind(configuration));

        Assert.Contains(error.Errors, e => e.Contains("Council:MinApprovalConfidence", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("Execution:MinCreditDollars", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("'oops'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("Risk", StringComparison.Ordinal) && e.Contains("abc", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("TRADING_SCHEDULE", StringComparison.Ordinal));
    }

    [Fact]
    public void Task_hub_intervals_bind_and_each_bad_one_is_named_with_its_range()
    {
        static Trading.Hosting.Engine.TaskHubOptions Read(string lease, string visibility, string polling) =>
            Trading.Hosting.Engine.TaskHubServiceCollectionExtensions.ReadTaskHubOptions(TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?>
            {
                ["Storage__ConnectionString"] = "UseDevelopmentStorage=true",
                ["TaskHub__LeaseInterval"] = lease,
                ["TaskHub__WorkItemVisibilityTimeout"] = visibility,
                ["TaskHub__MaxQueuePollingInterval"] = polling,
            }));

        var options = Read("00:00:15", "00:00:10", "00:00:00.050");
        Assert.Equal(TimeSpan.FromSeconds(15), options.LeaseInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.WorkItemVisibilityTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.MaxQueuePollingInterval);

        var error = Assert.Throws<TradingConfigurationException>(() => Read("00:00:05", "soon", "00:00:00"));
        Assert.Contains(error.Errors, e => e.StartsWith("TaskHub:LeaseInterval", StringComparison.Ordinal) && e.Contains("at least 00:00:15", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("TaskHub:WorkItemVisibilityTimeout", StringComparison.Ordinal) && e.Contains("'soon'", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("TaskHub:MaxQueuePollingInterval", StringComparison.Ordinal) && e.Contains("above zero", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_storage_fails_start_up_naming_the_settings()
    {
        var configuration = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?>());

        var error = Assert.Throws<TradingConfigurationException>(() => new ServiceCollection().AddTradingPipeline(configuration));

        Assert.Contains(error.Errors, e => e.Contains("Storage:ConnectionString", StringComparison.Ordinal) && e.Contains("Storage:TableServiceUri", StringComparison.Ordinal));
    }

    [Fact]
    public void Local_settings_values_bind_with_the_functions_names_and_environment_overrides_win()
    {
        var path = Path.Combine(Path.GetTempPath(), "local-settings-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{"IsEncrypted":false,"Values":{"Council__MinApprovalConfidence":"0.7","Pipeline__Symbol":"SPY","Storage__InMemory":"true"}}""");
        try
        {
            var configuration = TradingConfiguration.Build(path, new Dictionary<string, string?> { ["Council__MinApprovalConfidence"] = "0.65" }, includeEnvironment: false);

            var settings = PipelineSettings.Bind(configuration);

            Assert.Equal(0.65, settings.Council.MinApprovalConfidence);
            Assert.True(settings.Storage.InMemory);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_in_memory_composition_resolves_every_host_facing_service()
    {
        var configuration = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?> { ["Storage:InMemory"] = "true" });
        using var services = new ServiceCollection().AddLogging().AddTradingPipeline(configuration).BuildServiceProvider();

        Assert.Null(services.GetService<IRunLauncher>()); // each host brings its engine's launcher (and with it the HTTP API)
        Assert.NotNull(services.GetRequiredService<Trading.Hosting.Scheduling.ScheduledRuns>());
        Assert.NotNull(services.GetRequiredService<Trading.Pipeline.Activities.ActivityCatalog>());
    }

    [Fact]
    public void The_engine_needs_a_connection_string_and_a_valid_task_hub_name_and_says_which_setting_is_wrong()
    {
        var inMemory = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?> { ["Storage:InMemory"] = "true", ["TASKHUB_NAME"] = "no_underscores" });

        var e = Assert.Throws<TradingConfigurationException>(() => Trading.Hosting.Engine.TaskHubServiceCollectionExtensions.ReadTaskHubOptions(inMemory));

        Assert.Contains(e.Errors, m => m.StartsWith("TASKHUB_NAME", StringComparison.Ordinal));
        Assert.Contains(e.Errors, m => m.StartsWith("Storage:ConnectionString", StringComparison.Ordinal));
    }

    [Fact]
    public void The_engine_uses_the_configured_task_hub_and_a_local_one_by_default()
    {
        var named = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true", ["TASKHUB_NAME"] = "TradingHub" });
        var unnamed = TradingConfiguration.Build(includeEnvironment: false, overrides: new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" });

        Assert.Equal("TradingHub", Trading.Hosting.Engine.TaskHubServiceCollectionExtensions.ReadTaskHubOptions(named).TaskHubName);
        Assert.Equal("TradingLocal", Trading.Hosting.Engine.TaskHubServiceCollectionExtensions.ReadTaskHubOptions(unnamed).TaskHubName);
    }
}
