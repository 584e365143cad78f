namespace Trading.Storage.Tables;

/// <summary>
/// Checks made before any request, so that bad input fails fast with a message naming the problem instead of a 400 from
/// the service. Limits from the Table service data model; a key's 1 KiB is 512 UTF-16 characters (Azurite checks the same).
/// </summary>
public static class TableValidation
{
    public const int MaxKeyLength = 512;
    public const int MaxCustomProperties = 252;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxStringLength = 32 * 1024;
    public const int MaxBinaryBytes = 64 * 1024;
    public const int MaxPropertyNameLength = 255;

    /// <summary>Edm.DateTime is a count of 100 ns intervals since 1601-01-01 UTC (so ticks round-trip; earlier dates cannot be stored).</summary>
    public static readonly DateTime MinDateTime = new(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>3-63 letters and digits, starting with a letter, not the reserved name "tables".</summary>
    public static void ValidateTableName(string? tableName)
    {
        if (string.IsNullOrEmpty(tableName))
        {
            throw new ArgumentException("A table name is required.", nameof(tableName));
        }

        var valid = tableName.Length is >= 3 and <= 63 && char.IsAsciiLetter(tableName[0]) && tableName.All(char.IsAsciiLetterOrDigit);
        if (!valid)
        {
            throw new ArgumentException(
                $"Table name '{Printable(tableName)}' is invalid: it must be 3-63 ASCII letters or digits and start with a letter.", nameof(tableName));
        }

        if (string.Equals(tableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Table name '{tableName}' is reserved by the service.", nameof(tableName));
        }
    }

    /// <summary>Throws when <paramref name="key"/> cannot be a PartitionKey/RowKey (<paramref name="which"/> names it).</summary>
    public static void ValidateKey(string? key, string which)
    {
        if (key is null)
        {
            throw new ArgumentException($"{which} is required (it may be empty, not null).", which);
        }

        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"{which} is {key.Length} characters long; the limit is {MaxKeyLength} (1 KiB).", which);
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c is '/' or '\\' or '#' or '?')
            {
                throw new ArgumentException($"{which} contains '{c}' at position {i}; keys may not contain / \\ # or ?.", which);
            }

            if (c < 0x20 || c is >= '\u007f' and <= '\u009f')
            {
                throw new ArgumentException($"{which} contains control character U+{(int)c:X4} at position {i}; keys may not contain control characters.", which);
            }
        }
    }

    /// <summary>Checks keys, property names, count, value sizes and the whole entity's size.</summary>
    internal static void ValidateEntity(ITableEntity entity, IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidateKey(entity.PartitionKey, "PartitionKey");
        ValidateKey(entity.RowKey, "RowKey");
        if (properties.Count > MaxCustomProperties)
        {
            throw new ArgumentException(
                $"Entity ({entity.PartitionKey}, {entity.RowKey}) has {properties.Count} properties; the limit is {MaxCustomProperties} besides PartitionKey, RowKey and Timestamp.",
                nameof(entity));
        }

        // Size formula from the service documentation: 4 + 2*len(keys) + per property (8 + 2*len(name) + value size).
        long size = 4 + (2L * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in properties)
        {
            ValidatePropertyName(name);
            size += 8 + (2L * name.Length);
            switch (value)
            {
                case string s:
                    if (s.Length > MaxStringLength)
                    {
                        throw new ArgumentException($"Property '{name}' is a string of {s.Length} characters; the limit is {MaxStringLength} (64 KiB).", nameof(entity));
                    }

                    size += 4 + (2L * s.Length);
                    break;
                case byte[] b:
                    if (b.Length > MaxBinaryBytes)
                    {
                        throw new ArgumentException($"Property '{name}' is {b.Length} bytes of binary; the limit is {MaxBinaryBytes} (64 KiB).", nameof(entity));
                    }

                    size += 4 + b.Length;
                    break;
                case bool:
                    size += 1;
                    break;
                case int:
                    size += 4;
                    break;
                case Guid:
                    size += 16;
                    break;
                case DateTimeOffset t when t.UtcDateTime < MinDateTime:
                    throw new ArgumentException($"Property '{name}' is {t:O}; the service stores dates from 1601-01-01T00:00:00Z on.", nameof(entity));
                default:
                    size += 8;
                    break;
            }
        }

        if (size > MaxEntityBytes)
        {
            throw new ArgumentException($"Entity ({entity.PartitionKey}, {entity.RowKey}) is about {size} bytes; the limit is {MaxEntityBytes} (1 MiB).", nameof(entity));
        }
    }

    private static void ValidatePropertyName(string name)
    {
        if (name.Length == 0 || name.Length > MaxPropertyNameLength)
        {
            throw new ArgumentException($"Property name '{Printable(name)}' must be 1-{MaxPropertyNameLength} characters.", nameof(name));
        }

        if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Property name '{name}' is reserved for a system property.", nameof(name));
        }

        if (!(char.IsLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"Property name '{Printable(name)}' is invalid: use letters, digits and '_', starting with a letter or '_'.", nameof(name));
        }
    }

    private static string Printable(string text)
    {
        var shown = text.Length > 80 ? text[..80] + "..." : text;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
    }
}
