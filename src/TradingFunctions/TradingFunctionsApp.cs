using System.Text.Json;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting;
using Trading.Pipeline.State;

namespace TradingFunctions;

/// <summary>
/// Everything the Functions app registers, in one method: Program.cs calls it, and a test builds the same graph with scope
/// and build-time validation on, so a missing registration fails a test rather than the first timer in Azure.
/// </summary>
public static class TradingFunctionsApp
{
    /// <summary>
    /// The JSON options every activity and orchestration payload crosses the Durable engine with: the pipeline's own (the
    /// local hosts' engine and the state tables use the same), so a payload means the same thing locally and in Azure.
    /// </summary>
    public static JsonSerializerOptions PayloadJsonOptions => StateJson.Options;

    /// <summary>The function classes the worker activates per invocation (every class with a [Function] method that is not static).</summary>
    public static IReadOnlyList<Type> FunctionClasses { get; } = [typeof(ActivityFunctions), typeof(HttpFunctions), typeof(TimerFunctions)];

    /// <summary>
    /// Registers the trading system (validated settings, storage, gateway, markets, pipeline), the worker's serializer
    /// (<see cref="PayloadJsonOptions"/>; the Durable extension converts payloads with it), telemetry and the function classes.
    /// </summary>
    public static IServiceCollection AddTradingFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddTradingPipeline(configuration);
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(PayloadJsonOptions));
        services.AddFunctionsTelemetry(configuration);
        foreach (var type in FunctionClasses)
        {
            services.AddTransient(type);
        }

        return services;
    }
}
