using Google.Protobuf;

namespace Trading.TestKit.Otlp;

/// <summary>
/// Reads the parts of OTLP's protobuf messages the tests look at, field by field (numbers from the OTLP proto files:
/// opentelemetry/proto/{collector,trace,metrics,common,resource}/v1), so no generated code is needed.
/// </summary>
internal static class OtlpDecoder
{
    /// <summary>The spans of an ExportTraceServiceRequest.</summary>
    public static List<OtlpSpan> Spans(byte[] request)
    {
        var spans = new List<OtlpSpan>();
        // ExportTraceServiceRequest.resource_spans = 1
        foreach (var resourceSpans in Repeated(request, 1))
        {
            // ResourceSpans.resource = 1 (Resource.attributes = 1), scope_spans = 2
            var resource = Attributes(Single(resourceSpans, 1), 1);
            foreach (var scopeSpans in Repeated(resourceSpans, 2))
            {
                // ScopeSpans.scope = 1 (InstrumentationScope.name = 1), spans = 2
                var scope = Text(Single(scopeSpans, 1), 1);
                foreach (var span in Repeated(scopeSpans, 2))
                {
                    // Span.trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, attributes = 9
                    spans.Add(new OtlpSpan(
                        scope, Text(span, 5), Hex(Single(span, 1)), Hex(Single(span, 2)), Hex(Single(span, 4)), Attributes(span, 9), resource));
                }
            }
        }

        return spans;
    }

    /// <summary>The metric names (with their meter) of an ExportMetricsServiceRequest.</summary>
    public static List<OtlpMetric> Metrics(byte[] request)
    {
        var metrics = new List<OtlpMetric>();
        // ExportMetricsServiceRequest.resource_metrics = 1; ResourceMetrics.resource = 1, scope_metrics = 2;
        // ScopeMetrics.scope = 1, metrics = 2; Metric.name = 1
        foreach (var resourceMetrics in Repeated(request, 1))
        {
            var resource = Attributes(Single(resourceMetrics, 1), 1);
            foreach (var scopeMetrics in Repeated(resourceMetrics, 2))
            {
                var scope = Text(Single(scopeMetrics, 1), 1);
                foreach (var metric in Repeated(scopeMetrics, 2))
                    metrics.Add(new OtlpMetric(scope, Text(metric, 1), resource));
            }
        }

        return metrics;
    }

    // KeyValue.key = 1, value = 2; AnyValue: string_value = 1, bool_value = 2, int_value = 3, double_value = 4.
    private static Dictionary<string, object?> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in Repeated(message, field))
        {
            var key = Text(pair, 1);
            object? value = null;
            var input = new CodedInputStream(Single(pair, 2));
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                value = WireFormat.GetTagFieldNumber(tag) switch
                {
                    1 => input.ReadString(),
                    2 => input.ReadBool(),
                    3 => input.ReadInt64(),
                    4 => input.ReadDouble(),
                    _ => Skip(input),
                };
            }

            attributes[key] = value;
        }

        return attributes;
    }

    private static object? Skip(CodedInputStream input)
    {
        input.SkipLastField();
        return null;
    }

    // Every occurrence of a length-delimited field (a repeated message, or a string's bytes).
    private static List<byte[]> Repeated(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes().ToByteArray());
            else
                input.SkipLastField();
        }

        return found;
    }

    private static byte[] Single(byte[] message, int field) => Repeated(message, field) is { Count: > 0 } all ? all[^1] : [];

    private static string Text(byte[] message, int field) => System.Text.Encoding.UTF8.GetString(Single(message, field));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
