using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Trading.Hosting.Telemetry;

namespace Trading.Cli.Telemetry;

/// <summary>
/// OpenTelemetry for <c>trading run</c> and <c>trading serve</c>: what every host registers, plus ASP.NET Core's spans
/// under serve; exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, otherwise counted by a
/// <see cref="SpanTally"/> whose one-line summary the command prints at its end.
/// </summary>
internal static class CliTelemetry
{
    /// <summary>Registers telemetry; <paramref name="http"/> adds the incoming-request spans of serve.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, bool http = false)
    {
        var telemetry = services.AddTradingTelemetry(configuration, "trading-cli");
        if (http)
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation()).WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation());
        if (!TradingTelemetry.ExportsOtlp(configuration))
        {
            services.AddSingleton<SpanTally>();
            telemetry.WithTracing(tracing => tracing.AddProcessor(sp => sp.GetRequiredService<SpanTally>()));
        }
    }

    /// <summary>Starts the providers of a command that has no host to start them (a host's hosted service does it otherwise).</summary>
    public static void Start(IServiceProvider services)
    {
        _ = services.GetService<TracerProvider>();
        _ = services.GetService<MeterProvider>();
    }

    /// <summary>The summary line when nothing is exported; null when a collector receives the telemetry.</summary>
    public static string? Summary(IServiceProvider services) => services.GetService<SpanTally>()?.Summary();
}
