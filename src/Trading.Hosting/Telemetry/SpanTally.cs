using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;
using Trading.Gateway.Telemetry;

namespace Trading.Hosting.Telemetry;

/// <summary>
/// Counts the spans a host ended and the model calls among them (with their cost), for the one-line summary a command
/// prints when no collector is configured. Thread-safe.
/// </summary>
public sealed class SpanTally : BaseProcessor<Activity>
{
    private long _spans;
    private long _modelCalls;
    private long _costMicroUsd;

    /// <summary>Spans ended so far.</summary>
    public long Spans => Interlocked.Read(ref _spans);

    /// <summary>Gateway call spans (chat and embeddings) ended so far.</summary>
    public long ModelCalls => Interlocked.Read(ref _modelCalls);

    /// <summary>The cost the model-call spans carry, in dollars (to the micro-dollar).</summary>
    public decimal CostUsd => Interlocked.Read(ref _costMicroUsd) / 1_000_000m;

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Interlocked.Increment(ref _spans);
        if (data.Source.Name != GatewayTelemetry.SourceName)
            return;
        Interlocked.Increment(ref _modelCalls);
        if (data.GetTagItem("gateway.cost_usd") is double cost)
            Interlocked.Add(ref _costMicroUsd, (long)Math.Round(cost * 1_000_000));
    }

    /// <summary>One line: what was traced and how to export it.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"Telemetry: {Spans} spans, {ModelCalls} model calls (${CostUsd:0.######}); not exported (set {TradingTelemetry.OtlpEndpointSetting} to send traces and metrics to a collector).");
}
