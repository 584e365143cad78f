using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Trading.Storage.Tables;

/// <summary>The JSON (OData minimal metadata) form of entities: typed values annotated with @odata.type where JSON cannot say it.</summary>
internal static class EntityJson
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private const string TypeSuffix = "@odata.type";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static byte[] Serialize(string partitionKey, string rowKey, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        // One buffer and writer per thread, reset for each entity: only the returned body is allocated per call.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, partitionKey, rowKey, properties);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            writer.Reset();
            if (buffer.Capacity > 64 * 1024)
            {
                t_buffer = null; // do not keep a large entity's buffer alive on the thread
                t_writer = null;
            }
        }
    }

    public static void Write(Utf8JsonWriter writer, string partitionKey, string rowKey, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", partitionKey);
        writer.WriteString("RowKey", rowKey);
        foreach (var (name, value) in properties)
        {
            switch (value)
            {
                case string s:
                    writer.WriteString(name, s);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    WriteType(writer, name, "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    WriteType(writer, name, "Edm.Double");
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumber(name, d);
                    }
                    else
                    {
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case DateTimeOffset t:
                    WriteType(writer, name, "Edm.DateTime");
                    writer.WriteString(name, t.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                    break;
                case Guid g:
                    WriteType(writer, name, "Edm.Guid");
                    writer.WriteString(name, g.ToString("D"));
                    break;
                case byte[] bytes:
                    WriteType(writer, name, "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                default:
                    throw new NotSupportedException($"Property '{name}' has unsupported stored type {value?.GetType().Name}.");
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes <c>{name}@odata.type</c>; the annotated name is built on the stack rather than as a string per value.</summary>
    private static void WriteType(Utf8JsonWriter writer, string name, string edmType)
    {
        if (name.Length > 200)
        {
            writer.WriteString(name + TypeSuffix, edmType);
            return;
        }

        Span<char> annotated = stackalloc char[name.Length + TypeSuffix.Length];
        name.AsSpan().CopyTo(annotated);
        TypeSuffix.AsSpan().CopyTo(annotated[name.Length..]);
        writer.WriteString(annotated, edmType);
    }

    /// <summary>A decoded entity: system properties plus custom properties as wire values.</summary>
    public sealed record Decoded(string PartitionKey, string RowKey, DateTimeOffset? Timestamp, ETag ETag, List<KeyValuePair<string, object?>> Properties);

    public static Decoded Read(JsonElement element, ETag fallbackETag = default)
    {
        // One pass over the object (each property name is materialized once); values are converted after it, when every
        // @odata.type annotation is known, whatever order the service wrote them in.
        Dictionary<string, string>? types = null;
        string partitionKey = string.Empty, rowKey = string.Empty;
        DateTimeOffset? timestamp = null;
        var etag = fallbackETag;
        var values = new List<KeyValuePair<string, JsonElement>>();
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            switch (name)
            {
                case "PartitionKey":
                    partitionKey = property.Value.GetString() ?? string.Empty;
                    continue;
                case "RowKey":
                    rowKey = property.Value.GetString() ?? string.Empty;
                    continue;
                case "Timestamp":
                    timestamp = ParseDateTime(property.Value.GetString()!);
                    continue;
                case "odata.etag":
                    etag = new ETag(property.Value.GetString()!);
                    continue;
            }

            if (name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                types ??= new(StringComparer.Ordinal);
                types[name[..^TypeSuffix.Length]] = property.Value.GetString() ?? string.Empty;
                continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue; // $select of a property the entity lacks yields null; Table Storage stores no nulls
            }

            values.Add(new(name, property.Value));
        }

        var properties = new List<KeyValuePair<string, object?>>(values.Count);
        foreach (var (name, value) in values)
        {
            string? edm = null;
            types?.TryGetValue(name, out edm);
            properties.Add(new(name, ReadValue(value, edm, name)));
        }

        return new Decoded(partitionKey, rowKey, timestamp, etag, properties);
    }

    private static object? ReadValue(JsonElement value, string? edm, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (edm)
        {
            case "Edm.Int64":
                return value.ValueKind == JsonValueKind.String
                    ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
                    : value.GetInt64();
            case "Edm.Double":
                return value.ValueKind == JsonValueKind.String
                    ? value.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
                    }
                    : value.GetDouble();
            case "Edm.DateTime":
                return ParseDateTime(value.GetString()!);
            case "Edm.Guid":
                return Guid.Parse(value.GetString()!);
            case "Edm.Binary":
                return value.GetBytesFromBase64();
            case "Edm.Int32":
                return value.GetInt32();
            case "Edm.Boolean":
                return value.GetBoolean();
            case "Edm.String":
                return value.GetString();
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var i) => i,
            JsonValueKind.Number => value.GetDouble(),
            _ => throw new InvalidOperationException($"Property '{name}' has a JSON {value.ValueKind}, which is not a Table Storage value."),
        };
    }

    /// <summary>The service stores DateTime with 100 ns resolution (7 fractional digits), in UTC.</summary>
    private static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
