namespace Trading.Lessons.Search;

/// <summary>
/// Okapi BM25 over a fixed set of documents (lesson sections), with posting lists so a query only touches documents
/// that contain one of its terms. Immutable after construction and safe to query from many threads.
/// </summary>
public sealed class Bm25Index
{
    private readonly Dictionary<string, Posting[]> _postings;
    private readonly float[] _lengthNorm;
    private readonly int _documentCount;
    private readonly float _k1;

    /// <summary>Indexes the documents; their position in the list is their id in results.</summary>
    public Bm25Index(IReadOnlyList<string> documents, float k1 = 1.2f, float b = 0.75f)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _documentCount = documents.Count;
        _k1 = k1;
        var lengths = new int[documents.Count];
        var building = new Dictionary<string, List<Posting>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var doc = 0; doc < documents.Count; doc++)
        {
            var terms = LessonTokenizer.Tokenize(documents[doc]);
            lengths[doc] = terms.Count;
            counts.Clear();
            foreach (var term in terms)
                counts[term] = counts.GetValueOrDefault(term) + 1;
            foreach (var (term, count) in counts)
            {
                if (!building.TryGetValue(term, out var list))
                    building[term] = list = [];
                list.Add(new Posting(doc, count));
            }
        }

        _postings = building.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
        var averageLength = documents.Count == 0 ? 1f : Math.Max(1f, (float)lengths.Average());

        // k1 * (1 - b + b * |d| / avgdl) depends only on the document, so it is computed once here.
        _lengthNorm = new float[documents.Count];
        for (var doc = 0; doc < lengths.Length; doc++)
            _lengthNorm[doc] = k1 * (1 - b + (b * lengths[doc] / averageLength));
    }

    /// <summary>Number of indexed documents.</summary>
    public int Count => _documentCount;

    /// <summary>
    /// Adds each document's BM25 score for <paramref name="query"/> into <paramref name="scores"/> (length = Count) and
    /// returns how many documents matched at least one term.
    /// </summary>
    public int Score(string query, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (scores.Length != _documentCount)
            throw new ArgumentException($"scores must have one slot per document ({_documentCount}).", nameof(scores));

        var matched = 0;
        foreach (var term in LessonTokenizer.TokenizeQuery(query).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var postings))
                continue;

            // The BM25+ style floor (idf >= small positive) keeps very common terms from subtracting score.
            var n = postings.Length;
            var idf = MathF.Max(0.01f, MathF.Log(1 + ((_documentCount - n + 0.5f) / (n + 0.5f))));
            foreach (var posting in postings)
            {
                var tf = posting.Frequency;
                if (scores[posting.Document] == 0)
                    matched++;
                scores[posting.Document] += idf * (tf * (_k1 + 1)) / (tf + _lengthNorm[posting.Document]);
            }
        }

        return matched;
    }

    private readonly record struct Posting(int Document, int Frequency);
}
