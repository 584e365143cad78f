using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Trading.Gateway.Telemetry;

/// <summary>
/// Emits each call record to the store, the log, and the "Trading.Gateway" ActivitySource and Meter (which Application
/// Insights collects). A failing store is logged, never thrown: telemetry must not turn an answered call into a failure.
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    /// <summary>Name of the ActivitySource and Meter.</summary>
    public const string SourceName = "Trading.Gateway";

    /// <summary>The activity source for gateway calls.</summary>
    public static readonly ActivitySource ActivitySource = new(SourceName);

    private readonly Meter _meter;
    private readonly Counter<long> _calls;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _tokens;
    private readonly Histogram<double> _latency;
    private readonly CallRecordStore _store;
    private readonly ILogger<GatewayTelemetry> _logger;

    /// <summary>Creates the emitter.</summary>
    public GatewayTelemetry(CallRecordStore store, ILogger<GatewayTelemetry> logger, IMeterFactory? meterFactory = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _meter = meterFactory?.Create(SourceName) ?? new Meter(SourceName);
        _calls = _meter.CreateCounter<long>("gateway.calls", "{call}", "Model calls by model, task type and outcome");
        _cost = _meter.CreateCounter<double>("gateway.cost", "USD", "Cost of model calls");
        _tokens = _meter.CreateCounter<long>("gateway.tokens", "{token}", "Tokens by kind");
        _latency = _meter.CreateHistogram<double>("gateway.latency", "ms", "Latency of model calls");
    }

    /// <summary>The store records go to.</summary>
    public CallRecordStore Store => _store;

    /// <summary>Records one call everywhere.</summary>
    public async Task RecordAsync(GatewayCallRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.IsShadow && Activity.Current is { } span && span.Source == ActivitySource)
            TagSpan(span, record);

        // Tags and the log line are built only when someone listens: a call must not pay for telemetry nobody reads.
        if (_calls.Enabled || _cost.Enabled || _latency.Enabled || _tokens.Enabled)
            EmitMetrics(record);

        if (_logger.IsEnabled(LogLevel.Information))
            LogRecord(record);

        try
        {
            await _store.AppendAsync(record, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "Could not persist telemetry of call {CallId}", record.CallId);
        }
    }

    // The OpenTelemetry gen-AI attributes (model, tokens) on the call's span, and what they lack: the cost.
    private static void TagSpan(Activity span, GatewayCallRecord record)
    {
        span.SetTag("gen_ai.operation.name", record.Kind == "embedding" ? "embeddings" : "chat");
        span.SetTag("gen_ai.request.model", record.RequestedModel);
        span.SetTag("gen_ai.response.model", record.ServedModel);
        span.SetTag("gen_ai.usage.input_tokens", record.InputTokens);
        span.SetTag("gen_ai.usage.output_tokens", record.OutputTokens);
        span.SetTag("gateway.cost_usd", (double)record.CostUsd);
        span.SetTag("gateway.outcome", record.Outcome);
        if (record.FailureReason is { } failure)
            span.SetStatus(ActivityStatusCode.Error, failure);
    }

    private void EmitMetrics(GatewayCallRecord record)
    {
        var tags = new TagList
        {
            { "model", record.ServedModel ?? record.RequestedModel },
            { "task_type", record.TaskType },
            { "outcome", record.Outcome },
            { "shadow", record.IsShadow },
        };
        _calls.Add(1, tags);
        _cost.Add((double)record.CostUsd, tags);
        _latency.Record(record.LatencyMs, tags);
        _tokens.Add(record.InputTokens - record.CachedInputTokens, new TagList { { "kind", "input" }, { "model", record.ServedModel } });
        _tokens.Add(record.CachedInputTokens, new TagList { { "kind", "cached_input" }, { "model", record.ServedModel } });
        _tokens.Add(record.OutputTokens, new TagList { { "kind", "output" }, { "model", record.ServedModel } });
        _tokens.Add(record.ReasoningTokens, new TagList { { "kind", "reasoning" }, { "model", record.ServedModel } });
    }

    private void LogRecord(GatewayCallRecord record)
    {
        _logger.LogInformation(
            "LLM {Kind} call {CallId} run {RunId} task {TaskType} ({Complexity}) requested {RequestedModel} served {ServedModel} via {SelectionReason}: {Outcome} in {LatencyMs:F0} ms, {Attempts} attempt(s), tokens in {InputTokens} (cached {CachedInputTokens}) out {OutputTokens} (reasoning {ReasoningTokens}), cost ${CostUsd}{Estimated}{Shadow} {FailureReason}",
            record.Kind, record.CallId, record.RunId, record.TaskType, record.Complexity, record.RequestedModel, record.ServedModel ?? "-",
            record.SelectionReason, record.Outcome, record.LatencyMs, record.Attempts.Count, record.InputTokens, record.CachedInputTokens,
            record.OutputTokens, record.ReasoningTokens, record.CostUsd, record.CostEstimated ? " (estimated)" : string.Empty,
            record.IsShadow ? " [shadow]" : string.Empty, record.FailureReason ?? string.Empty);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
