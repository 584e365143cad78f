namespace Trading.Lessons.Search;

/// <summary>
/// Lower-cases, splits on anything not a letter or digit, drops English stop words and strips common suffixes, so
/// "assigned", "assignment" and "assign" meet. Used for both documents and queries, so it only needs to be consistent.
/// </summary>
public static class LessonTokenizer
{
    private static readonly HashSet<string> StopWords = new(
        [
            "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "did", "do", "does", "for", "from", "had",
            "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "of", "on", "or", "our", "so", "that", "the",
            "their", "then", "there", "these", "this", "to", "too", "was", "we", "were", "what", "when", "which", "while",
            "who", "why", "will", "with", "would", "you", "your", "not", "no", "than", "they", "them", "all", "any", "should",
        ],
        StringComparer.Ordinal);

    // Declared before the synonym table: static initialisers run in textual order and that table is stemmed.
    private static readonly (string Suffix, string Replacement, int MinStem)[] Suffixes =
    [
        ("sses", "ss", 2), ("ments", "", 4), ("ment", "", 4), ("ings", "", 4), ("ing", "", 4), ("ies", "y", 3),
        ("ied", "y", 3), ("ed", "", 4), ("ss", "ss", 2), ("us", "us", 2), ("is", "is", 2), ("s", "", 3),
    ];

    /// <summary>The terms of a text, in order, duplicates kept.</summary>
    public static List<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        var buffer = new char[64];
        var length = 0;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (length < buffer.Length)
                    buffer[length++] = char.ToLowerInvariant(c);
            }
            else if (length > 0)
            {
                Add(terms, new string(buffer, 0, length));
                length = 0;
            }
        }

        if (length > 0)
            Add(terms, new string(buffer, 0, length));
        return terms;
    }

    /// <summary>
    /// Query terms plus domain synonyms (a reader says "Fed", a lesson says "FOMC"). Only queries are expanded, so
    /// document statistics stay those of the written text.
    /// </summary>
    public static List<string> TokenizeQuery(string text)
    {
        var terms = Tokenize(text);
        var count = terms.Count;
        for (var i = 0; i < count; i++)
        {
            if (Synonyms.TryGetValue(terms[i], out var extra))
                terms.AddRange(extra);
        }

        return terms;
    }

    private static readonly Dictionary<string, string[]> Synonyms = BuildSynonyms(
    [
        ("fed", "fomc"), ("federal", "fomc"), ("powell", "fomc"), ("inflation", "cpi"), ("payroll", "job"), ("nfp", "job"),
        ("exercise", "assignment"), ("exercised", "assignment"), ("assigned", "assignment"), ("div", "dividend"),
        ("throttled", "429 rate"), ("unauthorized", "401"), ("forbidden", "403"),
        ("permission", "level"), ("margin", "buying power"), ("crash", "halt circuit"), ("kill", "halt switch"),
        ("daylight", "dst"), ("cron", "schedule timer"), ("duplicate", "double"), ("twice", "double duplicate"),
        ("greek", "delta gamma"), ("premium", "credit"), ("iv", "implied volatility"), ("vol", "volatility"),
        ("expiry", "expiration"), ("expiration", "expiry"), ("spend", "budget cost"), ("cost", "spend budget"),
        ("llm", "model"), ("ai", "model"), ("weekend", "gap overnight"), ("stale", "old age"), ("slippage", "spread fill"),
        ("liquidity", "spread bid ask"), ("vix", "volatility"), ("selloff", "gap loss"), ("drawdown", "loss"),
        ("contract", "qty"), ("quantity", "qty"), ("size", "sizing"), ("sizing", "size"), ("naked", "undefined"),
        ("strangle", "naked undefined"), ("timeout", "retry"), ("outage", "fail fallback"), ("parse", "json malformed"),
        ("reasoning", "token"), ("r1", "reasoning"), ("opus", "critical"), ("approval", "critical council"),
    ]);

    private static Dictionary<string, string[]> BuildSynonyms((string Word, string Expansion)[] pairs)
    {
        var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (word, expansion) in pairs)
            map[Stem(word)] = expansion.Split(' ').Select(Stem).ToArray();
        return map;
    }

    private static void Add(List<string> terms, string token)
    {
        if (StopWords.Contains(token))
            return;
        terms.Add(Stem(token));
    }

    /// <summary>A deliberately light suffix stripper (no dictionary): enough for plurals and verb forms.</summary>
    public static string Stem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length <= 3 || char.IsDigit(token[^1]))
            return token;
        foreach (var (suffix, replacement, minStem) in Suffixes)
        {
            if (token.Length - suffix.Length >= minStem && token.EndsWith(suffix, StringComparison.Ordinal))
                return token[..^suffix.Length] + replacement;
        }

        return token;
    }

}
