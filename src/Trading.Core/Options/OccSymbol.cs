using System.Globalization;

namespace Trading.Core.Options;

/// <summary>
/// An OCC option symbol: root + YYMMDD + C|P + strike × 1000 in 8 digits
/// (<c>SPY250117C00600000</c> is SPY, 2025-01-17, call, 600).
/// </summary>
public readonly record struct OccSymbol(string Underlying, DateOnly Expiration, OptionRight Right, decimal Strike)
{
    private const int DateAndRightAndStrikeLength = 6 + 1 + 8;

    /// <summary>Parses an OCC symbol; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static OccSymbol Parse(string text)
    {
        if (TryParse(text, out var symbol, out var error))
        {
            return symbol;
        }

        throw new FormatException($"'{text}' is not an OCC option symbol: {error}.");
    }

    /// <summary>Tries to parse an OCC symbol.</summary>
    public static bool TryParse(string? text, out OccSymbol symbol) => TryParse(text, out symbol, out _);

    private static bool TryParse(string? text, out OccSymbol symbol, out string error)
    {
        symbol = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "it is empty";
            return false;
        }

        // Some feeds pad the root to six characters with spaces; accept that form too.
        var compact = text.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (compact.Length <= DateAndRightAndStrikeLength || compact.Length > DateAndRightAndStrikeLength + 6)
        {
            error = "expected a 1-6 character root followed by YYMMDD, C or P and 8 strike digits";
            return false;
        }

        var root = compact[..^DateAndRightAndStrikeLength];
        foreach (var c in root)
        {
            if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
            {
                error = $"the root '{root}' must be upper-case letters or digits";
                return false;
            }
        }

        var rest = compact.AsSpan(root.Length);
        if (!DateOnly.TryParseExact(rest[..6], "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiration))
        {
            error = $"'{rest[..6].ToString()}' is not a valid YYMMDD expiration date";
            return false;
        }

        OptionRight right;
        switch (rest[6])
        {
            case 'C': right = OptionRight.Call; break;
            case 'P': right = OptionRight.Put; break;
            default:
                error = $"'{rest[6]}' must be C (call) or P (put)";
                return false;
        }

        var strikeDigits = rest[7..];
        foreach (var c in strikeDigits)
        {
            if (!char.IsAsciiDigit(c))
            {
                error = $"the strike '{strikeDigits.ToString()}' must be 8 digits";
                return false;
            }
        }

        var strike = long.Parse(strikeDigits, NumberStyles.None, CultureInfo.InvariantCulture) / 1000m;
        if (strike <= 0)
        {
            error = "the strike must be positive";
            return false;
        }

        symbol = new OccSymbol(root, expiration, right, strike);
        error = string.Empty;
        return true;
    }

    /// <summary>Formats the symbol in OCC form without padding.</summary>
    public override string ToString()
    {
        var thousandths = Strike * 1000m;
        if (thousandths != decimal.Truncate(thousandths) || thousandths <= 0 || thousandths > 99_999_999m)
        {
            throw new InvalidOperationException($"Strike {Strike.ToString(CultureInfo.InvariantCulture)} cannot be written as 8 OCC digits.");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{Underlying}{Expiration:yyMMdd}{(Right == OptionRight.Call ? 'C' : 'P')}{(long)thousandths:D8}");
    }
}
