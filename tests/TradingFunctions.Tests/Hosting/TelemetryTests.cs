using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Trading.Gateway.Telemetry;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Hosting;

/// <summary>The app's OpenTelemetry registration: what it collects, and that every exporter combination builds.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task The_gateways_activity_source_and_meter_reach_the_apps_tracer_and_meter_providers()
    {
        using var app = new TestApp();
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var services = new ServiceCollection();
        app.Register(services);
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var tracer = provider.GetRequiredService<TracerProvider>();
        var meter = provider.GetRequiredService<MeterProvider>();

        using (GatewayTelemetry.ActivitySource.StartActivity("gateway.call"))
        {
        }

        using var gatewayMeter = new Meter(GatewayTelemetry.SourceName);
        gatewayMeter.CreateCounter<long>("gateway.calls").Add(1);
        using var otherMeter = new Meter("Some.Other.Library");
        otherMeter.CreateCounter<long>("other.calls").Add(1);
        tracer.ForceFlush();
        meter.ForceFlush();

        Assert.Contains(spans, s => s.Source.Name == GatewayTelemetry.SourceName && s.DisplayName == "gateway.call");
        Assert.Contains(metrics, m => m.MeterName == GatewayTelemetry.SourceName && m.Name == "gateway.calls");
        Assert.DoesNotContain(metrics, m => m.MeterName == "Some.Other.Library");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Every_exporter_combination_builds_and_starts(bool applicationInsights, bool otlp)
    {
        var settings = new Dictionary<string, string?>();
        if (applicationInsights)
        {
            // A well-formed connection string to a closed loopback port; nothing is exported in this test.
            settings[FunctionsTelemetry.ApplicationInsightsConnectionSetting] =
                "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";
            settings[FunctionsTelemetry.ApplicationInsightsAuthenticationSetting] = "ClientId=00000000-0000-0000-0000-000000000001;Authorization=AAD";
        }

        if (otlp)
        {
            settings[Trading.Hosting.Telemetry.TradingTelemetry.OtlpEndpointSetting] = "http://127.0.0.1:9";
        }

        using var app = new TestApp(settings);
        await using var provider = app.BuildValidatedProvider();
        Assert.NotNull(provider.GetRequiredService<TracerProvider>());
        Assert.NotNull(provider.GetRequiredService<MeterProvider>());
    }

    [Fact]
    public void Host_json_puts_the_host_in_OpenTelemetry_mode()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;
        Assert.Equal("OpenTelemetry", host["telemetryMode"]!.GetValue<string>());
    }
}
