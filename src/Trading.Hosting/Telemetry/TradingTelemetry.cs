using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Trading.Gateway.Telemetry;
using Trading.Pipeline.Activities;

namespace Trading.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry as every host registers it: the gateway's and the pipeline's ActivitySources and Meters, the Durable Task
/// engine's spans, outgoing HTTP calls (models, Alpaca) and an OTLP exporter when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (endpoint, protocol and headers from the standard <c>OTEL_EXPORTER_OTLP_*</c> settings). Each host adds what is its
/// own: the Functions worker's defaults and Azure Monitor, the local host's ASP.NET Core spans and console summary.
/// </summary>
public static class TradingTelemetry
{
    /// <summary>The setting that turns the OTLP exporter on.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>ActivitySource names exported: the gateway's, the pipeline's and both Durable Task engines'.</summary>
    public static IReadOnlyList<string> Sources { get; } = [GatewayTelemetry.SourceName, PipelineTelemetry.SourceName, "Microsoft.DurableTask", "DurableTask.Core"];

    /// <summary>Meter names exported.</summary>
    public static IReadOnlyList<string> Meters { get; } = [GatewayTelemetry.SourceName, PipelineTelemetry.SourceName];

    /// <summary>Whether <paramref name="configuration"/> sends telemetry to an OTLP collector.</summary>
    public static bool ExportsOtlp(IConfiguration configuration) =>
        configuration is not null && !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);

    /// <summary>Registers OpenTelemetry for <paramref name="serviceName"/>; returns the builder for the host's own additions.</summary>
    public static OpenTelemetryBuilder AddTradingTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource([.. Sources])
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => !IsStorageRequest(request)))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]));
        if (ExportsOtlp(configuration))
            telemetry.UseOtlpExporter();
        return telemetry;
    }

    /// <summary>
    /// Azure Storage calls (every REST request to it carries <c>x-ms-version</c>) are left out of the traces: the engine polls
    /// its queues several times a second, and those spans would drown a run's own.
    /// </summary>
    public static bool IsStorageRequest(HttpRequestMessage request) =>
        request is not null && request.Headers.Contains("x-ms-version");
}
