using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Trading.Gateway.Telemetry;

namespace TradingFunctions;

/// <summary>
/// The worker's telemetry, the Functions OpenTelemetry way (host.json sets <c>"telemetryMode": "OpenTelemetry"</c> for the
/// host): the worker's defaults, the app's ActivitySources and Meters, and an exporter per configured destination —
/// Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set (Entra ID auth when APPLICATIONINSIGHTS_AUTHENTICATION_STRING
/// says Authorization=AAD, as the Bicep template sets it), OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, nothing otherwise.
/// </summary>
public static class TradingTelemetry
{
    public const string ApplicationInsightsConnectionSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>ActivitySource names exported. The pipeline has none of its own today; the gateway's and the Durable worker's are.</summary>
    public static IReadOnlyList<string> Sources { get; } = [GatewayTelemetry.SourceName, "Trading.Pipeline", "Microsoft.DurableTask"];

    /// <summary>Meter names exported.</summary>
    public static IReadOnlyList<string> Meters { get; } = [GatewayTelemetry.SourceName, "Trading.Pipeline"];

    /// <summary>Registers OpenTelemetry with the configured exporters.</summary>
    public static IServiceCollection AddTradingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource([.. Sources]))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]));
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

        if (configuration[OtlpEndpointSetting] is { Length: > 0 })
        {
            // Endpoint, protocol and headers come from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
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
