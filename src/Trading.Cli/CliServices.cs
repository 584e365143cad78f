using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Trading.Cli.Configuration;
using Trading.Pipeline.Hosting;

namespace Trading.Cli;

/// <summary>The trading system composed for a CLI command: the pipeline's own registration, on the command's clock.</summary>
public static class CliServices
{
    /// <summary>
    /// Registers logging (warnings and errors to standard error, so <c>--json</c> output stays clean), the clock, whatever
    /// <paramref name="before"/> adds (registrations the pipeline keeps when present), then <c>AddTradingPipeline</c>.
    /// Invalid settings become one <see cref="CliUsageException"/> listing every bad one.
    /// </summary>
    public static ServiceProvider Build(IConfiguration configuration, TimeProvider time, Action<IServiceCollection>? before = null, Action<IServiceCollection>? after = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddSingleton(time);
        before?.Invoke(services);
        try
        {
            services.AddTradingPipeline(configuration);
        }
        catch (TradingConfigurationException e)
        {
            throw new CliUsageException(e.Message, e);
        }

        after?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = false });
    }
}
