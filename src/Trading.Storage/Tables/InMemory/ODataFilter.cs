using System.Globalization;
using System.Text;

namespace Trading.Storage.Tables.InMemory;

/// <summary>
/// Parses and evaluates the subset of OData $filter that Table Storage supports (comparisons eq ne gt ge lt le, and, or,
/// not, parentheses; typed literals), for the in-memory store. Comparisons between different types are false, as in the
/// service, except that numbers (Int32, Int64, Double) compare by value.
/// </summary>
internal sealed partial class ODataFilter
{
    private readonly Func<Func<string, object?>, bool> _predicate;

    private ODataFilter(Func<Func<string, object?>, bool> predicate) => _predicate = predicate;

    public static ODataFilter All { get; } = new(_ => true);

    /// <summary>True when the entity whose property lookup is <paramref name="property"/> matches.</summary>
    public bool Matches(Func<string, object?> property) => _predicate(property);

    /// <summary>
    /// The partition a filter is confined to when it is <c>PartitionKey eq '…'</c>, alone or and-ed with more conditions (and
    /// no <c>or</c> anywhere, to stay safe without precedence analysis); null otherwise. Lets a query read one partition only.
    /// </summary>
    public static string? PinnedPartition(string? filter)
    {
        if (filter is null || filter.Contains(" or ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = PinnedPartitionPattern().Match(filter);
        return match.Success ? match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal) : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*PartitionKey eq '((?:[^']|'')*)'(?:\s+and\s+.+)?\s*$", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex PinnedPartitionPattern();

    public static ODataFilter Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return All;
        }

        var parser = new Parser(Tokenize(filter), filter);
        var predicate = parser.ParseOr();
        parser.ExpectEnd();
        return new ODataFilter(predicate);
    }

    private enum Kind
    {
        Identifier,
        Literal,
        Open,
        Close,
    }

    private sealed record Token(Kind Kind, string Text, object? Value = null);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                tokens.Add(new Token(Kind.Open, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new Token(Kind.Close, ")"));
                i++;
            }
            else if (c == '\'')
            {
                tokens.Add(new Token(Kind.Literal, "string", ReadQuoted(text, ref i)));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                var start = i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] is '.' or 'E' or 'e' or '+' or '-'))
                {
                    i++;
                }

                var number = text[start..i];
                if (i < text.Length && text[i] is 'L' or 'l')
                {
                    i++;
                    tokens.Add(new Token(Kind.Literal, number, long.Parse(number, NumberStyles.Integer, CultureInfo.InvariantCulture)));
                }
                else if (number.IndexOfAny(['.', 'E', 'e']) >= 0)
                {
                    tokens.Add(new Token(Kind.Literal, number, double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture)));
                }
                else
                {
                    var value = long.Parse(number, NumberStyles.Integer, CultureInfo.InvariantCulture);
                    tokens.Add(new Token(Kind.Literal, number, value is >= int.MinValue and <= int.MaxValue ? (int)value : value));
                }
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var word = text[start..i];
                if (i < text.Length && text[i] == '\'')
                {
                    var quoted = ReadQuoted(text, ref i);
                    object value = word.ToUpperInvariant() switch
                    {
                        "DATETIME" => DateTimeOffset.Parse(quoted, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                        "GUID" => Guid.Parse(quoted),
                        "X" or "BINARY" => Convert.FromHexString(quoted),
                        _ => throw Error(text, $"unknown typed literal {word}'...'"),
                    };
                    tokens.Add(new Token(Kind.Literal, word, value));
                }
                else if (word is "true" or "false")
                {
                    tokens.Add(new Token(Kind.Literal, word, word == "true"));
                }
                else
                {
                    tokens.Add(new Token(Kind.Identifier, word));
                }
            }
            else
            {
                throw Error(text, $"unexpected character '{c}' at position {i}");
            }
        }

        return tokens;
    }

    private static string ReadQuoted(string text, ref int i)
    {
        var builder = new StringBuilder();
        i++; // opening quote
        while (true)
        {
            if (i >= text.Length)
            {
                throw Error(text, "unterminated string literal");
            }

            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    builder.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return builder.ToString();
            }

            builder.Append(text[i++]);
        }
    }

    private static ArgumentException Error(string filter, string problem) =>
        new($"Filter is not valid OData ({problem}): {filter}", nameof(filter));

    private sealed class Parser(List<Token> tokens, string text)
    {
        private int _position;

        public void ExpectEnd()
        {
            if (_position < tokens.Count)
            {
                throw Error(text, $"unexpected '{tokens[_position].Text}'");
            }
        }

        public Func<Func<string, object?>, bool> ParseOr()
        {
            var left = ParseAnd();
            while (TakeKeyword("or"))
            {
                var l = left;
                var r = ParseAnd();
                left = e => l(e) || r(e);
            }

            return left;
        }

        private Func<Func<string, object?>, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (TakeKeyword("and"))
            {
                var l = left;
                var r = ParseUnary();
                left = e => l(e) && r(e);
            }

            return left;
        }

        private Func<Func<string, object?>, bool> ParseUnary()
        {
            if (TakeKeyword("not"))
            {
                var inner = ParseUnary();
                return e => !inner(e);
            }

            if (Peek()?.Kind == Kind.Open)
            {
                _position++;
                var inner = ParseOr();
                if (Peek()?.Kind != Kind.Close)
                {
                    throw Error(text, "missing ')'");
                }

                _position++;
                return inner;
            }

            var left = ParseOperand();
            var op = Peek() is { Kind: Kind.Identifier } t && t.Text is "eq" or "ne" or "gt" or "ge" or "lt" or "le"
                ? t.Text
                : throw Error(text, $"expected a comparison operator after '{tokens[_position - 1].Text}'");
            _position++;
            var right = ParseOperand();
            return e => Compare(left(e), op, right(e));
        }

        private Func<Func<string, object?>, object?> ParseOperand()
        {
            var token = Peek() ?? throw Error(text, "unexpected end");
            _position++;
            return token.Kind switch
            {
                Kind.Literal => _ => token.Value,
                Kind.Identifier => e => e(token.Text),
                _ => throw Error(text, $"unexpected '{token.Text}'"),
            };
        }

        private Token? Peek() => _position < tokens.Count ? tokens[_position] : null;

        private bool TakeKeyword(string keyword)
        {
            if (Peek() is { Kind: Kind.Identifier } t && t.Text == keyword)
            {
                _position++;
                return true;
            }

            return false;
        }
    }

    private static bool Compare(object? left, string op, object? right)
    {
        if (left is null || right is null)
        {
            return false;
        }

        int? order = (left, right) switch
        {
            (string a, string b) => string.CompareOrdinal(a, b),
            (bool a, bool b) => a.CompareTo(b),
            (DateTimeOffset a, DateTimeOffset b) => a.UtcTicks.CompareTo(b.UtcTicks),
            (Guid a, Guid b) => a == b ? 0 : string.CompareOrdinal(a.ToString(), b.ToString()),
            (byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b),
            (int or long, int or long) => Convert.ToInt64(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(right, CultureInfo.InvariantCulture)),
            (int or long or double, int or long or double) => Convert.ToDouble(left, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(right, CultureInfo.InvariantCulture)),
            _ => null,
        };
        if (order is not { } o)
        {
            return false;
        }

        return op switch
        {
            "eq" => o == 0,
            "ne" => o != 0,
            "gt" => o > 0,
            "ge" => o >= 0,
            "lt" => o < 0,
            _ => o <= 0,
        };
    }
}
