using System.Globalization;
using System.Text.Json;

namespace Trading.Markets.Alpaca;

/// <summary>
/// Reads Alpaca's JSON leniently: the trading API sends money and quantities as strings ("1.25"), the data API as numbers;
/// fields may be null or absent. Numbers are parsed with the invariant culture.
/// </summary>
internal static class AlpacaJson
{
    public static JsonElement? Property(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static decimal? Decimal(this JsonElement obj, string name) => obj.Property(name) is { } v ? ToDecimal(v) : null;

    public static decimal? ToDecimal(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.TryGetDecimal(out var d) ? d : (decimal)v.GetDouble(),
        JsonValueKind.String when decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    public static double? Double(this JsonElement obj, string name) => obj.Property(name) switch
    {
        { ValueKind: JsonValueKind.Number } v => v.GetDouble(),
        { ValueKind: JsonValueKind.String } v when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    public static int? Int(this JsonElement obj, string name) => obj.Decimal(name) is { } d ? (int)decimal.Truncate(d) : null;

    public static long? Long(this JsonElement obj, string name) => obj.Decimal(name) is { } d ? (long)decimal.Truncate(d) : null;

    public static string? String(this JsonElement obj, string name) => obj.Property(name) switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { } v => v.GetRawText(),
        _ => null,
    };

    public static bool Bool(this JsonElement obj, string name) => obj.Property(name) switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.String } v => string.Equals(v.GetString(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public static DateTimeOffset? Time(this JsonElement obj, string name) =>
        obj.String(name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static DateOnly? Date(this JsonElement obj, string name) =>
        obj.String(name) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Parses "09:30" or "0930".</summary>
    public static TimeOnly? ClockTime(this JsonElement obj, string name) =>
        obj.String(name) is { } s && TimeOnly.TryParseExact(s, ["HH:mm", "HHmm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    public static IEnumerable<JsonElement> Array(this JsonElement obj, string name) =>
        obj.Property(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];
}
