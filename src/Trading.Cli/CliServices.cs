using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Cli.Configuration;
using Trading.Hosting;
using Trading.Hosting.Engine;

namespace Trading.Cli;

/// <summary>The trading system composed for a CLI command: the pipeline's own registration, on the command's clock.</summary>
public static class CliServices
{
    /// <summary>
    /// Checks every setting before anything starts (Azurite, a listener): the pipeline's registration is run on a throw-away
    /// collection, with the CLI's storage default when none is configured. Throws one <see cref="CliUsageException"/>
    /// listing the pipeline's problems and <paramref name="otherProblems"/> (the command's own settings) together. Names in
    /// the known sections that are not settings (misspellings) are written to <paramref name="warnings"/>.
    /// </summary>
    public static void ValidateSettings(IConfiguration configuration, IReadOnlyList<string>? otherProblems = null, TextWriter? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var unknown in PipelineSettings.UnknownSettings(configuration))
        {
            warnings?.WriteLine("warning: " + unknown);
        }

        var problems = new List<string>(otherProblems ?? []);
        var withStorage = configuration;
        if (string.IsNullOrWhiteSpace(configuration["Storage:ConnectionString"]) && string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"])
            && string.IsNullOrWhiteSpace(configuration["Storage:TableServiceUri"]))
        {
            withStorage = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                // A placeholder for validation only: the command itself picks this checkout's Azurite (LocalStorage).
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:ConnectionString"] = "UseDevelopmentStorage=true" })
                .Build();
        }

        try
        {
            new ServiceCollection().AddTradingPipeline(withStorage);
        }
        catch (TradingConfigurationException e)
        {
            problems.AddRange(e.Errors);
        }

        if (configuration[Trading.Hosting.AppSettingNames.TaskHubName] is { Length: > 0 } hub
            && TaskHubOptions.TaskHubNameError(hub) is { } hubError)
        {
            problems.Add(hubError);
        }

        if (problems.Count > 0)
        {
            throw new CliUsageException(
                $"Invalid configuration ({problems.Count} problem(s)):" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", problems));
        }
    }

    /// <summary>
    /// Registers logging (warnings and errors to standard error, so <c>--json</c> output stays clean), the clock, whatever
    /// <paramref name="before"/> adds (registrations the pipeline keeps when present), then <c>AddTradingPipeline</c>.
    /// Invalid settings become one <see cref="CliUsageException"/> listing every bad one. <paramref name="engine"/> adds the
    /// Durable Task engine (task hub, launcher, worker) for the commands that run or read orchestrations.
    /// </summary>
    public static ServiceProvider Build(
        IConfiguration configuration, TimeProvider time, Action<IServiceCollection>? before = null, Action<IServiceCollection>? after = null, bool engine = false)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            // The engine's own logs (lease and polling loops, with exception traces when storage is gone) are not for the
            // terminal: a run's failure reaches the command through its status, and storage trouble as one error line.
            .AddFilter("DurableTask", LogLevel.None)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton(time);
        before?.Invoke(services);
        try
        {
            services.AddTradingPipeline(configuration);
            if (engine)
            {
                services.AddTaskHubEngine(configuration);
            }
        }
        catch (TradingConfigurationException e)
        {
            throw new CliUsageException(e.Message, e);
        }

        after?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
    }
}
