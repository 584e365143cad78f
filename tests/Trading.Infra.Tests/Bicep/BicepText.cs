using System.Text;
using System.Text.RegularExpressions;

namespace Trading.Infra.Tests.Bicep;

/// <summary>
/// A deliberately small reader for our own Bicep files (the Bicep CLI is not available on the build machines).
/// It is not a Bicep parser: it understands exactly what the templates here use, and fails loudly on anything else.
/// <list type="bullet">
/// <item>Strings are single-quoted, with backslash escapes and <c>${...}</c> interpolation (which may hold strings);
/// <c>'''</c> multi-line strings are skipped whole.</item>
/// <item>Comments (<c>//</c> and <c>/* */</c>) are blanked out first, so commented-out code never counts.</item>
/// <item>Object properties are one per line (or comma-separated), <c>key: value</c>, keys bare or quoted.</item>
/// </list>
/// </summary>
internal static partial class BicepText
{
    /// <summary>Blanks out comments (keeping line breaks) without touching anything inside strings.</summary>
    public static string StripComments(string source)
    {
        var text = new StringBuilder(source.Length);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '\'')
            {
                var end = SkipString(source, i);
                text.Append(source, i, end - i);
                i = end;
            }
            else if (c == '/' && At(source, i + 1) == '/')
            {
                for (; i < source.Length && source[i] != '\n'; i++)
                {
                    text.Append(' ');
                }
            }
            else if (c == '/' && At(source, i + 1) == '*')
            {
                var close = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var end = close < 0 ? source.Length : close + 2;
                for (; i < end; i++)
                {
                    text.Append(source[i] == '\n' ? '\n' : ' ');
                }
            }
            else
            {
                text.Append(c);
                i++;
            }
        }

        return text.ToString();
    }

    /// <summary>Index just past the string literal that starts (with a quote) at <paramref name="start"/>.</summary>
    public static int SkipString(string s, int start)
    {
        if (string.CompareOrdinal(s, start, "'''", 0, 3) == 0)
        {
            var close = s.IndexOf("'''", start + 3, StringComparison.Ordinal);
            return close < 0 ? s.Length : close + 3;
        }

        var i = start + 1;
        while (i < s.Length)
        {
            switch (s[i])
            {
                case '\\':
                    i += 2;
                    break;
                case '\'':
                    return i + 1;
                case '$' when At(s, i + 1) == '{':
                    // An interpolation is an expression: it may hold braces and strings of its own.
                    i = SkipBalanced(s, i + 1);
                    break;
                default:
                    i++;
                    break;
            }
        }

        return s.Length;
    }

    /// <summary>Index just past the bracket ({, [ or () at <paramref name="open"/> and everything it encloses.</summary>
    public static int SkipBalanced(string s, int open)
    {
        var depth = 0;
        var i = open;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\'')
            {
                i = SkipString(s, i);
                continue;
            }

            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                depth--;
                if (depth == 0)
                {
                    return i + 1;
                }
            }

            i++;
        }

        throw new FormatException($"Unbalanced '{s[open]}' at offset {open}.");
    }

    /// <summary>
    /// The text between the braces of every object literal that directly follows a match of <paramref name="opener"/>,
    /// which must end just before the opening brace (for example <c>var hostSettings = </c>).
    /// </summary>
    public static IReadOnlyList<(Match Match, string Body)> ObjectsAfter(string strippedText, Regex opener)
    {
        var found = new List<(Match, string)>();
        foreach (Match match in opener.Matches(strippedText))
        {
            var open = match.Index + match.Length;
            while (open < strippedText.Length && char.IsWhiteSpace(strippedText[open]))
            {
                open++;
            }

            if (open >= strippedText.Length || strippedText[open] != '{')
            {
                continue;
            }

            var end = SkipBalanced(strippedText, open);
            found.Add((match, strippedText[(open + 1)..(end - 1)]));
        }

        return found;
    }

    /// <summary>The top-level <c>key: value</c> entries of an object body; nested objects stay inside their value.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ObjectEntries(string body)
    {
        var segments = new List<string>();
        var start = 0;
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == '\'')
            {
                i = SkipString(body, i);
                continue;
            }

            if (c is '{' or '[' or '(')
            {
                i = SkipBalanced(body, i);
                continue;
            }

            if (c is '\n' or ',')
            {
                segments.Add(body[start..i]);
                start = i + 1;
            }

            i++;
        }

        segments.Add(body[start..]);

        var entries = new List<KeyValuePair<string, string>>();
        foreach (var segment in segments.Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            var entry = EntryPattern().Match(segment);
            if (!entry.Success)
            {
                // A spread, a computed key or anything else unforeseen: refuse rather than silently miss a setting.
                throw new FormatException($"Not a 'key: value' object entry: {segment}");
            }

            var key = entry.Groups["quoted"].Success ? entry.Groups["quoted"].Value : entry.Groups["bare"].Value;
            entries.Add(new(key, entry.Groups["value"].Value.Trim()));
        }

        return entries;
    }

    /// <summary>Every <c>param</c> declaration with the decorators written directly above it.</summary>
    public static IReadOnlyList<BicepParameter> Parameters(string strippedText) =>
        [.. ParameterPattern().Matches(strippedText).Select(m => new BicepParameter(
            m.Groups["name"].Value,
            m.Groups["type"].Value,
            m.Groups["default"].Success ? m.Groups["default"].Value.Trim() : null,
            m.Groups["decorators"].Value))];

    /// <summary>The unquoted content of a plain string literal such as <c>'paper'</c>; null for any other expression.</summary>
    public static string? StringLiteral(string expression)
    {
        var literal = PlainStringPattern().Match(expression.Trim());
        return literal.Success ? literal.Groups[1].Value : null;
    }

    private static char At(string s, int index) => index < s.Length ? s[index] : '\0';

    // key: value, where key is an identifier or a quoted string.
    [GeneratedRegex(@"^(?:'(?<quoted>[^']*)'|(?<bare>[A-Za-z_][A-Za-z0-9_]*))\s*:\s*(?<value>[\s\S]*)$")]
    private static partial Regex EntryPattern();

    // Decorators: '@name(' then, up to the matching ')', strings (which may contain parentheses), other characters,
    // or one level of nested parentheses. Then 'param name type', and an optional '= default' to the end of the line.
    [GeneratedRegex(
        @"(?<decorators>(?:@\w+\((?:'(?:[^'\\]|\\.)*'|[^()']|\((?:'(?:[^'\\]|\\.)*'|[^()'])*\))*\)\s*)*)" +
        @"^[ \t]*param[ \t]+(?<name>\w+)[ \t]+(?<type>\w+)(?:[ \t]*=[ \t]*(?<default>[^\r\n]*))?",
        RegexOptions.Multiline)]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"^'((?:[^'\\$]|\\.)*)'$")]
    private static partial Regex PlainStringPattern();
}

/// <summary>One <c>param</c> declaration: its name, type, default expression (null when none) and decorators.</summary>
internal sealed record BicepParameter(string Name, string Type, string? Default, string Decorators)
{
    public bool IsSecure => Decorators.Contains("@secure()", StringComparison.Ordinal);
}
