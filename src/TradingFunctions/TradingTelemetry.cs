using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TradingFunctions;

/// <summary>Telemetry registration (placeholder until the OpenTelemetry wiring lands).</summary>
public static class TradingTelemetry
{
    /// <summary>Registers telemetry exporters configured by the app settings.</summary>
    public static IServiceCollection AddTradingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }
}
