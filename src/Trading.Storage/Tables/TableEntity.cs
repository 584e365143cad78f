using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Azure;

namespace Trading.Storage.Tables;

/// <summary>
/// A schemaless entity: a dictionary of custom properties plus the system properties. The dictionary holds only custom
/// properties; PartitionKey, RowKey, Timestamp and ETag are the typed properties of the same names.
/// Values read back have the stored types: string, bool, int, long, double, DateTimeOffset (UTC), Guid, byte[].
/// Decimals and enums are stored as strings (see <see cref="GetDecimal"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710", Justification = "Name mirrors Azure.Data.Tables' TableEntity so the API reads familiar.")]
public sealed class TableEntity : ITableEntity, IDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _properties;

    public TableEntity()
    {
        _properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        PartitionKey = string.Empty;
        RowKey = string.Empty;
    }

    public TableEntity(string partitionKey, string rowKey)
        : this()
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public TableEntity(IDictionary<string, object?> properties)
        : this()
    {
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var (key, value) in properties)
        {
            this[key] = value;
        }
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>Custom property value, or null when absent. Setting the system property names sets those properties.</summary>
    public object? this[string key]
    {
        get => TryGetValue(key, out var value) ? value : null;
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            switch (key)
            {
                case "PartitionKey": PartitionKey = value as string ?? throw new ArgumentException("PartitionKey must be a string.", nameof(key)); break;
                case "RowKey": RowKey = value as string ?? throw new ArgumentException("RowKey must be a string.", nameof(key)); break;
                case "Timestamp":
                    Timestamp = value switch
                    {
                        null => null,
                        DateTimeOffset d => d,
                        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                        _ => throw new ArgumentException("Timestamp must be a DateTimeOffset.", nameof(key)),
                    };
                    break;
                case "odata.etag": ETag = value is null ? default : new ETag(value.ToString()!); break;
                default: _properties[key] = value; break;
            }
        }
    }

    public string? GetString(string key) => Get(key) switch
    {
        null => null,
        string s => s,
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    public bool? GetBoolean(string key) => Get(key) switch
    {
        null => null,
        bool b => b,
        var other => throw WrongType(key, other, "bool"),
    };

    public int? GetInt32(string key) => Get(key) switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw WrongType(key, other, "int"),
    };

    public long? GetInt64(string key) => Get(key) switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw WrongType(key, other, "long"),
    };

    /// <summary>Also accepts an int: Azurite returns a whole-number double as Int32.</summary>
    public double? GetDouble(string key) => Get(key) switch
    {
        null => null,
        double d => d,
        int i => i,
        long l => l,
        var other => throw WrongType(key, other, "double"),
    };

    /// <summary>
    /// Decimals are stored as Edm.String in invariant culture (e.g. "-1234.5600"), which keeps all 28-29 digits and the scale;
    /// a double would lose both. Also accepts stored numbers.
    /// </summary>
    public decimal? GetDecimal(string key) => Get(key) switch
    {
        null => null,
        decimal m => m,
        string s => TableValueConverter.ParseDecimal(s, key),
        int i => i,
        long l => l,
        double d => (decimal)d,
        var other => throw WrongType(key, other, "decimal"),
    };

    public DateTimeOffset? GetDateTimeOffset(string key) => Get(key) switch
    {
        null => null,
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        var other => throw WrongType(key, other, "DateTimeOffset"),
    };

    public Guid? GetGuid(string key) => Get(key) switch
    {
        null => null,
        Guid g => g,
        string s when Guid.TryParse(s, out var g) => g,
        var other => throw WrongType(key, other, "Guid"),
    };

    public byte[]? GetBinary(string key) => Get(key) switch
    {
        null => null,
        byte[] b => b,
        BinaryData b => b.ToArray(),
        var other => throw WrongType(key, other, "byte[]"),
    };

    private object? Get(string key) => _properties.TryGetValue(key, out var value) ? value : null;

    private static InvalidOperationException WrongType(string key, object value, string wanted) =>
        new($"Property '{key}' holds a {value.GetType().Name}, which does not convert to {wanted}.");

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object?> Values => _properties.Values;

    public int Count => _properties.Count;

    public bool IsReadOnly => false;

    public void Add(string key, object? value)
    {
        if (_properties.ContainsKey(key) || key is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")
        {
            throw new ArgumentException($"Property '{key}' is already present.", nameof(key));
        }

        this[key] = value;
    }

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Remove(string key) => _properties.Remove(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => _properties.TryGetValue(key, out value);

    public void Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

    public void Clear() => _properties.Clear();

    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
