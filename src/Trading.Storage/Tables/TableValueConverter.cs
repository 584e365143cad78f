using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using Azure;

namespace Trading.Storage.Tables;

/// <summary>
/// Converts between CLR property values and the values Table Storage stores ("wire values": string, bool, int, long,
/// double, DateTimeOffset in UTC, Guid, byte[]). Decimal is stored as an invariant-culture string so that every digit and
/// the scale survive; enums are stored by name; DateTime is treated as UTC (Unspecified is assumed to be UTC already).
/// </summary>
internal static class TableValueConverter
{
    private static readonly ConcurrentDictionary<Type, EntityShape> Shapes = new();

    public static decimal ParseDecimal(string text, string property) =>
        decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidOperationException($"Property '{property}' holds text that is not a decimal.");

    /// <summary>The value to store for a CLR value; null stays null (Table Storage does not store nulls).</summary>
    public static object? ToWire(object? value, string property) => value switch
    {
        null => null,
        string or bool or int or long or double or Guid or byte[] => value,
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToUniversalTime(),
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        Enum e => e.ToString(),
        BinaryData b => b.ToArray(),
        short or byte or sbyte or ushort => Convert.ToInt32(value, CultureInfo.InvariantCulture),
        uint u => (long)u,
        float f => (double)f,
        _ => throw new NotSupportedException(
            $"Property '{property}' has type {value.GetType().Name}, which Table Storage cannot store. Supported: string, bool, int, long, " +
            "double, decimal, DateTimeOffset, DateTime, Guid, byte[], enums and their nullable forms."),
    };

    /// <summary>Converts a stored value to the CLR type of a mapped property.</summary>
    public static object? FromWire(object? value, Type target, string property)
    {
        if (value is null)
        {
            return null;
        }

        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsInstanceOfType(value))
        {
            return value;
        }

        try
        {
            if (type.IsEnum)
            {
                return value is string s ? Enum.Parse(type, s, ignoreCase: false) : Enum.ToObject(type, value);
            }

            return (Type.GetTypeCode(type), value) switch
            {
                (TypeCode.Decimal, string s) => ParseDecimal(s, property),
                (TypeCode.Decimal, int i) => (decimal)i,
                (TypeCode.Decimal, long l) => (decimal)l,
                (TypeCode.Decimal, double d) => (decimal)d,
                (TypeCode.Double, int i) => (double)i, // Azurite returns a whole-number double as Int32
                (TypeCode.Double, long l) => (double)l,
                (TypeCode.Int64, int i) => (long)i,
                (TypeCode.Int32, long l) => checked((int)l),
                (TypeCode.DateTime, DateTimeOffset d) => d.UtcDateTime,
                (TypeCode.String, _) => Convert.ToString(value, CultureInfo.InvariantCulture),
                _ when type == typeof(Guid) && value is string s => Guid.Parse(s),
                _ when type == typeof(DateTimeOffset) && value is DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
                _ when type == typeof(BinaryData) && value is byte[] b => new BinaryData(b),
                _ => Convert.ChangeType(value, type, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Property '{property}' holds a stored {value.GetType().Name} that does not convert to {type.Name}.", ex);
        }
    }

    /// <summary>Custom properties of an entity as wire values (nulls omitted).</summary>
    public static List<KeyValuePair<string, object?>> CustomProperties(ITableEntity entity)
    {
        var result = new List<KeyValuePair<string, object?>>();
        if (entity is TableEntity dictionary)
        {
            foreach (var (name, value) in dictionary)
            {
                var wire = ToWire(value, name);
                if (wire is not null)
                {
                    result.Add(new(name, wire));
                }
            }

            return result;
        }

        foreach (var property in ShapeOf(entity.GetType()).Properties)
        {
            var wire = ToWire(property.Info.GetValue(entity), property.Name);
            if (wire is not null)
            {
                result.Add(new(property.Name, wire));
            }
        }

        return result;
    }

    /// <summary>Builds a <typeparamref name="T"/> from stored values.</summary>
    public static T Materialize<T>(string partitionKey, string rowKey, DateTimeOffset? timestamp, ETag etag, IEnumerable<KeyValuePair<string, object?>> properties)
        where T : class, ITableEntity, new()
    {
        var entity = new T { PartitionKey = partitionKey, RowKey = rowKey, Timestamp = timestamp, ETag = etag };
        if (entity is TableEntity dictionary)
        {
            foreach (var (name, value) in properties)
            {
                dictionary[name] = value;
            }

            return entity;
        }

        var shape = ShapeOf(typeof(T));
        foreach (var (name, value) in properties)
        {
            if (shape.ByName.TryGetValue(name, out var property))
            {
                property.Info.SetValue(entity, FromWire(value, property.Info.PropertyType, name));
            }
        }

        return entity;
    }

    private static EntityShape ShapeOf(Type type) => Shapes.GetOrAdd(type, static t => new EntityShape(t));

    internal sealed record MappedProperty(string Name, PropertyInfo Info);

    /// <summary>The public read/write properties of a POCO entity, minus the system ones and [IgnoreDataMember].</summary>
    internal sealed class EntityShape
    {
        public EntityShape(Type type)
        {
            Properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.CanWrite && p.GetIndexParameters().Length == 0
                    && p.GetSetMethod() is not null && p.GetGetMethod() is not null
                    && p.Name is not ("PartitionKey" or "RowKey" or "Timestamp" or "ETag")
                    && p.GetCustomAttribute<IgnoreDataMemberAttribute>() is null)
                .Select(p => new MappedProperty(p.GetCustomAttribute<DataMemberAttribute>()?.Name ?? p.Name, p))
                .ToArray();
            ByName = Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        }

        public MappedProperty[] Properties { get; }

        public Dictionary<string, MappedProperty> ByName { get; }
    }
}
