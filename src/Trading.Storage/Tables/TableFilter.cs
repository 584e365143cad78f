using System.Globalization;
using System.Text;

namespace Trading.Storage.Tables;

/// <summary>
/// Builds OData $filter expressions with every value quoted, escaped and typed, so no filter is ever concatenated from raw
/// input. Literals: strings 'O''Brien', 123 (Int32), 123L (Int64), doubles with a decimal point, true/false,
/// datetime'2024-01-02T03:04:05.0000000Z', guid'...', X'0aff'. Decimals and enums are compared as their stored strings
/// (decimal order is then textual, so use eq/ne for them).
/// </summary>
public static class TableFilter
{
    public static string Equal(string property, object value) => Compare(property, "eq", value);

    public static string NotEqual(string property, object value) => Compare(property, "ne", value);

    public static string GreaterThan(string property, object value) => Compare(property, "gt", value);

    public static string GreaterThanOrEqual(string property, object value) => Compare(property, "ge", value);

    public static string LessThan(string property, object value) => Compare(property, "lt", value);

    public static string LessThanOrEqual(string property, object value) => Compare(property, "le", value);

    public static string And(params string[] filters) => Join("and", filters);

    public static string Or(params string[] filters) => Join("or", filters);

    public static string Not(string filter)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        return $"not ({filter})";
    }

    /// <summary>All rows of one partition.</summary>
    public static string Partition(string partitionKey) => Equal("PartitionKey", partitionKey);

    /// <summary>
    /// Like Azure's TableClient.CreateQueryFilter: <c>TableFilter.Create($"PartitionKey eq {pk} and Count gt {n}")</c>;
    /// every interpolated value becomes a typed, escaped literal, the literal text is kept as written.
    /// </summary>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments().Select(a => (object)Literal(a)).ToArray();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, arguments);
    }

    /// <summary>The OData literal for a value.</summary>
    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "Table filters cannot compare with null; Table Storage does not store nulls."),
        string s => Quote(s),
        bool b => b ? "true" : "false",
        int or short or byte or sbyte or ushort => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        long or uint => Convert.ToString(value, CultureInfo.InvariantCulture) + "L",
        double d => DoubleLiteral(d),
        float f => DoubleLiteral(f),
        decimal m => Quote(m.ToString(CultureInfo.InvariantCulture)),
        DateTimeOffset t => $"datetime'{t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}'",
        DateTime t => Literal(new DateTimeOffset(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc))),
        Guid g => $"guid'{g:D}'",
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        BinaryData data => Literal(data.ToArray()),
        Enum e => Quote(e.ToString()),
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be a Table Storage filter value.", nameof(value)),
    };

    private static string Compare(string property, string op, object value)
    {
        ValidateProperty(property);
        return $"{property} {op} {Literal(value)}";
    }

    private static string Join(string op, string[] filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (filters.Length == 0 || filters.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"'{op}' needs one or more non-empty filters.", nameof(filters));
        }

        if (filters.Length == 1)
        {
            return filters[0];
        }

        var builder = new StringBuilder();
        for (var i = 0; i < filters.Length; i++)
        {
            builder.Append(i == 0 ? "(" : $" {op} (").Append(filters[i]).Append(')');
        }

        return builder.ToString();
    }

    private static void ValidateProperty(string property)
    {
        if (string.IsNullOrEmpty(property) || !(char.IsLetter(property[0]) || property[0] == '_') || !property.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{property}' is not a valid property name for a filter.", nameof(property));
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string DoubleLiteral(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new ArgumentException("NaN and infinities cannot be Table Storage filter values.", nameof(d));
        }

        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
