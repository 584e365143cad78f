using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Trading.TestKit.Otlp;

/// <summary>One span as an OTLP exporter sent it.</summary>
/// <param name="Scope">Instrumentation scope (the ActivitySource's name).</param>
/// <param name="Name">Span name.</param>
/// <param name="TraceId">Trace id, lower-case hex.</param>
/// <param name="SpanId">Span id, lower-case hex.</param>
/// <param name="ParentSpanId">Parent span id, lower-case hex, or "" for a root span.</param>
/// <param name="Attributes">The span's attributes (string, bool, long or double values).</param>
/// <param name="Resource">Its resource's attributes (service.name among them).</param>
public sealed record OtlpSpan(
    string Scope, string Name, string TraceId, string SpanId, string ParentSpanId,
    IReadOnlyDictionary<string, object?> Attributes, IReadOnlyDictionary<string, object?> Resource)
{
    /// <summary>An attribute's value, or null.</summary>
    public object? this[string key] => Attributes.GetValueOrDefault(key);
}

/// <summary>One metric (its name and meter) as an OTLP exporter sent it.</summary>
/// <param name="Scope">Instrumentation scope (the Meter's name).</param>
/// <param name="Name">Instrument name.</param>
/// <param name="Resource">Its resource's attributes.</param>
public sealed record OtlpMetric(string Scope, string Name, IReadOnlyDictionary<string, object?> Resource);

/// <summary>
/// An OTLP/HTTP collector on a free loopback port: accepts <c>POST /v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>
/// in binary protobuf (gzip or not), keeps the spans and metric names it decodes and answers 200. Point
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> at <see cref="Endpoint"/> with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>.
/// </summary>
public sealed class OtlpLoopbackCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentQueue<OtlpMetric> _metrics = new();
    private int _logRequests;

    private OtlpLoopbackCollector(WebApplication app) => _app = app;

    /// <summary>The base address for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (the exporter appends <c>/v1/traces</c> and so on).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every span received, in arrival order.</summary>
    public IReadOnlyList<OtlpSpan> Spans => [.. _spans];

    /// <summary>Every metric received (one entry per metric per export).</summary>
    public IReadOnlyList<OtlpMetric> Metrics => [.. _metrics];

    /// <summary>How many log exports arrived.</summary>
    public int LogRequests => Volatile.Read(ref _logRequests);

    /// <summary>Starts a collector on a free loopback port.</summary>
    public static async Task<OtlpLoopbackCollector> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackApp.Create();
        var collector = new OtlpLoopbackCollector(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            foreach (var span in OtlpDecoder.Spans(await BodyAsync(request)))
                collector._spans.Enqueue(span);
            return Accepted();
        });
        app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            foreach (var metric in OtlpDecoder.Metrics(await BodyAsync(request)))
                collector._metrics.Enqueue(metric);
            return Accepted();
        });
        app.MapPost("/v1/logs", async (HttpRequest request) =>
        {
            _ = await BodyAsync(request);
            Interlocked.Increment(ref collector._logRequests);
            return Accepted();
        });
        collector.Endpoint = await LoopbackApp.StartAsync(app, cancellationToken);
        return collector;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // An empty Export*ServiceResponse: full success.
    private static IResult Accepted() => Results.Bytes([], "application/x-protobuf");

    private static async Task<byte[]> BodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        if (string.Equals(request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }

        return buffer.ToArray();
    }
}
