using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Trading.Pipeline.Activities;

namespace Trading.Hosting.Engine;

/// <summary>Registers the local hosts' engine: the task hub, its launcher (as <see cref="IRunLauncher"/>) and a worker.</summary>
public static class TaskHubServiceCollectionExtensions
{
    /// <summary>The setting that overrides the local queue polling interval (a TimeSpan, e.g. 00:00:00.100).</summary>
    public const string PollingSetting = "TaskHub:MaxQueuePollingInterval";

    /// <summary>
    /// The engine's options from the configuration: <c>TASKHUB_NAME</c> (default <see cref="TaskHubOptions.DefaultTaskHubName"/>),
    /// the storage connection string (<c>Storage:ConnectionString</c>, else <c>AzureWebJobsStorage</c>) and
    /// <see cref="PollingSetting"/>. Throws <see cref="TradingConfigurationException"/> naming the setting that is wrong.
    /// </summary>
    public static TaskHubOptions ReadTaskHubOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var options = new TaskHubOptions();
        if (configuration[AppSettingNames.TaskHubName] is { Length: > 0 } name)
        {
            options.TaskHubName = name;
        }

        if (TaskHubOptions.TaskHubNameError(options.TaskHubName) is { } nameError)
        {
            errors.Add(nameError);
        }

        options.ConnectionString = configuration["Storage:ConnectionString"] is { Length: > 0 } explicitConnection
            ? explicitConnection
            : configuration["AzureWebJobsStorage"] ?? string.Empty;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("Storage:ConnectionString (or AzureWebJobsStorage): the Durable Task engine needs a storage account with blob, "
                + "queue and table endpoints as a connection string (Azurite: UseDevelopmentStorage=true); tables in memory or an "
                + "identity-based table endpoint alone cannot hold its task hub.");
        }

        if (configuration[PollingSetting] is { Length: > 0 } polling)
        {
            if (TimeSpan.TryParse(polling, System.Globalization.CultureInfo.InvariantCulture, out var interval)
                && interval > TimeSpan.Zero && interval <= TimeSpan.FromMinutes(1))
            {
                options.MaxQueuePollingInterval = interval;
            }
            else
            {
                errors.Add($"{PollingSetting} must be a TimeSpan above zero and at most 00:01:00; got '{polling}'.");
            }
        }

        return errors.Count > 0 ? throw new TradingConfigurationException(errors) : options;
    }

    /// <summary>
    /// Registers <see cref="TaskHubService"/>, <see cref="TaskHubRunLauncher"/> (replacing any <see cref="IRunLauncher"/>), the HTTP API over it and
    /// <see cref="PipelineWorker"/>. A <see cref="TaskHubOptions"/> registered before wins over the configuration (tests).
    /// </summary>
    public static IServiceCollection AddTaskHubEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(TaskHubOptions)))
        {
            services.AddSingleton(ReadTaskHubOptions(configuration));
        }

        services.TryAddSingleton(sp => new TaskHubService(sp.GetRequiredService<TaskHubOptions>(), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new TaskHubRunLauncher(sp.GetRequiredService<TaskHubService>(), sp.GetRequiredService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<IRunLauncher>(sp => sp.GetRequiredService<TaskHubRunLauncher>()));
        services.TryAddSingleton<Http.TradingApi>();
        services.TryAddSingleton(sp => new PipelineWorker(
            sp.GetRequiredService<TaskHubService>(), sp.GetRequiredService<ActivityCatalog>(), sp.GetService<ILoggerFactory>()));
        return services;
    }
}
