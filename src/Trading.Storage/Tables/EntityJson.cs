using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Trading.Storage.Tables;

/// <summary>The JSON (OData minimal metadata) form of entities: typed values annotated with @odata.type where JSON cannot say it.</summary>
internal static class EntityJson
{
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static byte[] Serialize(string partitionKey, string rowKey, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, partitionKey, rowKey, properties);
        }

        return buffer.WrittenSpan.ToArray();
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
                    writer.WriteString(name + "@odata.type", "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    writer.WriteString(name + "@odata.type", "Edm.Double");
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
                    writer.WriteString(name + "@odata.type", "Edm.DateTime");
                    writer.WriteString(name, t.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                    break;
                case Guid g:
                    writer.WriteString(name + "@odata.type", "Edm.Guid");
                    writer.WriteString(name, g.ToString("D"));
                    break;
                case byte[] bytes:
                    writer.WriteString(name + "@odata.type", "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                default:
                    throw new NotSupportedException($"Property '{name}' has unsupported stored type {value?.GetType().Name}.");
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>A decoded entity: system properties plus custom properties as wire values.</summary>
    public sealed record Decoded(string PartitionKey, string RowKey, DateTimeOffset? Timestamp, ETag ETag, List<KeyValuePair<string, object?>> Properties);

    public static Decoded Read(JsonElement element, ETag fallbackETag = default)
    {
        Dictionary<string, string>? types = null;
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith("@odata.type", StringComparison.Ordinal))
            {
                types ??= new(StringComparer.Ordinal);
                types[property.Name[..^"@odata.type".Length]] = property.Value.GetString() ?? string.Empty;
            }
        }

        string partitionKey = string.Empty, rowKey = string.Empty;
        DateTimeOffset? timestamp = null;
        var etag = fallbackETag;
        var properties = new List<KeyValuePair<string, object?>>();
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

            if (name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue; // $select of a property the entity lacks yields null; Table Storage stores no nulls
            }

            string? edm = null;
            types?.TryGetValue(name, out edm);
            properties.Add(new(name, ReadValue(property.Value, edm, name)));
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
