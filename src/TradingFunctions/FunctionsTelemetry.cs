using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trading.Hosting.Telemetry;

namespace TradingFunctions;

/// <summary>
/// The worker's telemetry, the Functions OpenTelemetry way (host.json sets <c>"telemetryMode": "OpenTelemetry"</c> for the
/// host): what every host registers (<see cref="TradingTelemetry"/>: the app's ActivitySources and Meters, outgoing HTTP,
/// OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set), the worker's defaults, and Azure Monitor when
/// APPLICATIONINSIGHTS_CONNECTION_STRING is set (Entra ID auth when APPLICATIONINSIGHTS_AUTHENTICATION_STRING says
/// Authorization=AAD, as the Bicep template sets it).
/// </summary>
public static class FunctionsTelemetry
{
    public const string ApplicationInsightsConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Registers OpenTelemetry with the configured exporters.</summary>
    public static IServiceCollection AddFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddTradingTelemetry(configuration, "trading-functions").UseFunctionsWorkerDefaults();
        if (configuration[ApplicationInsightsConnectionSetting] is { Length: > 0 } connectionString)
        {
            var authentication = configuration[ApplicationInsightsAuthenticationSetting];
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                if (authentication?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
                {
                    var clientId = ClientIdOf(authentication);
                    options.Credential = clientId is null
                        ? new DefaultAzureCredential()
                        : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        }

        return services;
    }

    private static string? ClientIdOf(string authentication) =>
        authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase) && kv[1].Length > 0)
            .Select(kv => kv[1])
            .FirstOrDefault();
}
