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
        // Two-digit years are 2000-2099: the invariant calendar would read "50".."99" as 1950-1999.
        if (!TryParseDate(rest[..6], out var expiration))
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

    private static bool TryParseDate(ReadOnlySpan<char> yymmdd, out DateOnly date)
    {
        date = default;
        foreach (var c in yymmdd)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var year = 2000 + int.Parse(yymmdd[..2], NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(yymmdd[2..4], NumberStyles.None, CultureInfo.InvariantCulture);
        var day = int.Parse(yymmdd[4..6], NumberStyles.None, CultureInfo.InvariantCulture);
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
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

        if (Expiration.Year is < 2000 or > 2099)
        {
            throw new InvalidOperationException($"Expiration {Expiration:yyyy-MM-dd} cannot be written as an OCC YYMMDD date (years 2000-2099).");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{Underlying}{Expiration:yyMMdd}{(Right == OptionRight.Call ? 'C' : 'P')}{(long)thousandths:D8}");
    }
}
