using Trading.Lessons.Corpus;

namespace Trading.Lessons.Search;

/// <summary>Names of the retrieval modes, as reported in results.</summary>
public static class LessonSearchMode
{
    /// <summary>Cosine similarity over embeddings fused with BM25 by reciprocal rank.</summary>
    public const string Hybrid = "hybrid";

    /// <summary>BM25 only: no embedder configured, or it failed.</summary>
    public const string Lexical = "lexical";
}

/// <summary>One lesson found by a search, with the section that matched best.</summary>
/// <param name="Lesson">The lesson.</param>
/// <param name="Section">Its best-matching section.</param>
/// <param name="Score">BM25 score in lexical mode, fused reciprocal-rank score in hybrid mode.</param>
public readonly record struct LessonMatch(Lesson Lesson, LessonSection Section, double Score);

/// <summary>
/// The in-memory index: every section of every lesson, a BM25 index over them and, when embeddings were available,
/// a vector index. Immutable and thread-safe; build it with <see cref="LessonIndexBuilder"/>.
/// </summary>
public sealed class LessonIndex
{
    /// <summary>Rank constant of reciprocal rank fusion (the usual 60 from Cormack et al.).</summary>
    public const int RrfRankConstant = 60;

    private readonly LessonSection[] _sections;
    private readonly int[] _sectionLesson;
    private readonly Lesson[] _lessons;
    private readonly Bm25Index _bm25;
    private readonly VectorIndex? _vectors;

    /// <summary>Builds the lexical part from the lessons and takes the section vectors (one per section, in order) if any.</summary>
    public LessonIndex(IReadOnlyList<Lesson> lessons, IReadOnlyList<float[]>? sectionVectors = null, string? embeddingModel = null)
    {
        ArgumentNullException.ThrowIfNull(lessons);
        _lessons = [.. lessons];
        var sections = new List<LessonSection>();
        var owners = new List<int>();
        var documents = new List<string>();
        for (var i = 0; i < _lessons.Length; i++)
        {
            foreach (var section in _lessons[i].Sections)
            {
                sections.Add(section);
                owners.Add(i);
                documents.Add(LexicalText(_lessons[i], section));
            }
        }

        _sections = [.. sections];
        _sectionLesson = [.. owners];
        _bm25 = new Bm25Index(documents);
        if (sectionVectors is not null)
        {
            if (sectionVectors.Count != _sections.Length)
                throw new ArgumentException(
                    $"{sectionVectors.Count} vectors for {_sections.Length} sections; expected one per section.", nameof(sectionVectors));
            _vectors = new VectorIndex(sectionVectors);
            EmbeddingModel = embeddingModel;
        }
    }

    /// <summary>The lessons, in corpus order.</summary>
    public IReadOnlyList<Lesson> Lessons => _lessons;

    /// <summary>Every indexed section, in order (lesson by lesson).</summary>
    public IReadOnlyList<LessonSection> Sections => _sections;

    /// <summary>True when section embeddings are loaded, so hybrid search is possible.</summary>
    public bool HasVectors => _vectors is not null;

    /// <summary>Dimensions of the section embeddings (0 without them).</summary>
    public int VectorDimensions => _vectors?.Dimensions ?? 0;

    /// <summary>The embedding model the vectors came from, if any.</summary>
    public string? EmbeddingModel { get; }

    /// <summary>The text embedded for a section: title and heading give the body its context.</summary>
    public static string EmbeddingText(Lesson lesson, LessonSection section)
    {
        ArgumentNullException.ThrowIfNull(lesson);
        ArgumentNullException.ThrowIfNull(section);
        return $"{lesson.Title}\n{section.Heading}: {section.Text}";
    }

    private static string LexicalText(Lesson lesson, LessonSection section) =>
        $"{lesson.Title} {string.Join(' ', lesson.Tags)} {lesson.Strategy} {lesson.Ticker} {section.Heading} {section.Text}";

    /// <summary>
    /// The top <paramref name="k"/> lessons for a query, one result per lesson. With <paramref name="queryVector"/> and
    /// vectors in the index the search is hybrid; otherwise lexical. Returns the mode actually used.
    /// </summary>
    public (string Mode, IReadOnlyList<LessonMatch> Matches) Search(string text, ReadOnlySpan<float> queryVector, int k)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

        var scores = new float[_sections.Length];
        _bm25.Score(text, scores);
        var lexical = RankLessons(scores, requirePositive: true, Math.Max(k * 4, 50));

        if (_vectors is null || queryVector.IsEmpty)
        {
            var hits = lexical.Take(k).Select(r => new LessonMatch(_lessons[r.Lesson], _sections[r.Section], r.Score)).ToList();
            return (LessonSearchMode.Lexical, hits);
        }

        _vectors.Score(queryVector, scores);
        var semantic = RankLessons(scores, requirePositive: false, Math.Max(k * 4, 50));

        // Reciprocal rank fusion: scores of different scales are combined by rank only.
        var fused = new Dictionary<int, (double Score, int Section)>();
        for (var rank = 0; rank < semantic.Count; rank++)
            fused[semantic[rank].Lesson] = (1.0 / (RrfRankConstant + rank + 1), semantic[rank].Section);
        for (var rank = 0; rank < lexical.Count; rank++)
        {
            var entry = lexical[rank];
            var add = 1.0 / (RrfRankConstant + rank + 1);
            fused[entry.Lesson] = fused.TryGetValue(entry.Lesson, out var existing)
                ? (existing.Score + add, existing.Section)
                : (add, entry.Section);
        }

        var top = fused
            .OrderByDescending(f => f.Value.Score)
            .ThenBy(f => f.Key)
            .Take(k)
            .Select(f => new LessonMatch(_lessons[f.Key], _sections[f.Value.Section], f.Value.Score))
            .ToList();
        return (LessonSearchMode.Hybrid, top);
    }

    /// <summary>Best section score per lesson, then the top <paramref name="limit"/> lessons by that score.</summary>
    private List<(int Lesson, int Section, double Score)> RankLessons(float[] sectionScores, bool requirePositive, int limit)
    {
        var best = new float[_lessons.Length];
        var bestSection = new int[_lessons.Length];
        Array.Fill(best, float.NegativeInfinity);
        for (var s = 0; s < sectionScores.Length; s++)
        {
            var lesson = _sectionLesson[s];
            if (sectionScores[s] > best[lesson])
            {
                best[lesson] = sectionScores[s];
                bestSection[lesson] = s;
            }
        }

        // Bounded insertion into a small sorted list: most lessons fail the threshold check and cost one comparison.
        var top = new List<(int Lesson, int Section, double Score)>(limit + 1);
        for (var lesson = 0; lesson < best.Length; lesson++)
        {
            var score = best[lesson];
            if (float.IsNegativeInfinity(score) || (requirePositive && score <= 0))
                continue;
            if (top.Count == limit && score <= top[^1].Score)
                continue;
            var at = top.Count;
            while (at > 0 && top[at - 1].Score < score)
                at--;
            top.Insert(at, (lesson, bestSection[lesson], score));
            if (top.Count > limit)
                top.RemoveAt(top.Count - 1);
        }

        return top;
    }
}
