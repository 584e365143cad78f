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

    /// <summary>The setting for how long a worker's hold on a control-queue partition lasts without renewal (15-60 s, a blob lease).</summary>
    public const string LeaseSetting = "TaskHub:LeaseInterval";

    /// <summary>The setting for how long work a worker took stays hidden from the others unless renewed (10 s to 5 min).</summary>
    public const string VisibilitySetting = "TaskHub:WorkItemVisibilityTimeout";

    /// <summary>
    /// The engine's options from the configuration: <c>TASKHUB_NAME</c> (default <see cref="TaskHubOptions.DefaultTaskHubName"/>),
    /// the storage connection string (<c>Storage:ConnectionString</c>, else <c>AzureWebJobsStorage</c>),
    /// <see cref="PollingSetting"/>, <see cref="LeaseSetting"/> and <see cref="VisibilitySetting"/>. Throws <see cref="TradingConfigurationException"/> naming the setting that is wrong.
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

        options.MaxQueuePollingInterval = ReadInterval(configuration, PollingSetting, options.MaxQueuePollingInterval, TimeSpan.Zero, TimeSpan.FromMinutes(1), errors);
        options.LeaseInterval = ReadInterval(configuration, LeaseSetting, options.LeaseInterval, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(60), errors);
        options.WorkItemVisibilityTimeout = ReadInterval(
            configuration, VisibilitySetting, options.WorkItemVisibilityTimeout, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), errors);

        return errors.Count > 0 ? throw new TradingConfigurationException(errors) : options;
    }

    /// <summary>A TimeSpan setting between <paramref name="min"/> (exclusive when zero) and <paramref name="max"/>; <paramref name="fallback"/> when unset.</summary>
    private static TimeSpan ReadInterval(IConfiguration configuration, string setting, TimeSpan fallback, TimeSpan min, TimeSpan max, List<string> errors)
    {
        if (configuration[setting] is not { Length: > 0 } text)
        {
            return fallback;
        }

        var inRange = TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && (min == TimeSpan.Zero ? value > TimeSpan.Zero : value >= min) && value <= max;
        if (!inRange)
        {
            var lower = min == TimeSpan.Zero ? "above zero" : $"at least {min:c}";
            errors.Add($"{setting} must be a TimeSpan {lower} and at most {max:c}; got '{text}'.");
        }

        return inRange ? value : fallback;
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
