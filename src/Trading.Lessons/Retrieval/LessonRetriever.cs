using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Knowledge;
using Trading.Lessons.Corpus;
using Trading.Lessons.Search;

namespace Trading.Lessons.Retrieval;

/// <summary>
/// The pipeline's lessons stage: top-k lessons for a proposed trade (hybrid when embeddings exist, lexical otherwise)
/// and the blocking rule — an open CRITICAL lesson whose strategy or ticker matches the trade's blocks it.
/// </summary>
public sealed class LessonRetriever
{
    private readonly LessonLibrary _library;
    private readonly ITextEmbedder? _embedder;
    private readonly LessonsSettings _settings;
    private readonly ILogger _logger;

    public LessonRetriever(LessonLibrary library, ITextEmbedder? embedder, LessonsSettings settings, ILogger<LessonRetriever>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(settings);
        _library = library;
        _embedder = embedder;
        _settings = settings;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Searches the lessons and applies the blocking rule.</summary>
    public async Task<LessonResults> RetrieveAsync(LessonQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var k = query.K ?? _settings.TopK;
        if (k < 1)
            throw new ArgumentException($"K must be at least 1 (was {k}).", nameof(query));

        var build = await _library.GetIndexAsync(cancellationToken);
        var note = build.FallbackReason;
        float[]? vector = null;
        if (build.Index.HasVectors && _embedder is not null && !string.IsNullOrWhiteSpace(query.Text))
        {
            try
            {
                var vectors = await _embedder.EmbedAsync([query.Text], query.RunId, cancellationToken);
                vector = vectors.Count == 1 && vectors[0].Length == build.Index.VectorDimensions ? vectors[0] : null;
                if (vector is null)
                    note = "the query embedding was missing or of the wrong size; lexical search only";
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A gateway failure must not stop the pipeline; the blocking rule does not depend on embeddings.
                note = $"embedding the query failed ({ex.GetType().Name}); lexical search only";
                _logger.LogWarning(ex, "Lesson query falls back to lexical search.");
            }
        }

        var (mode, matches) = build.Index.Search(query.Text ?? "", vector, k);
        return new LessonResults
        {
            Mode = mode,
            Hits = matches.Select(ToHit).ToList(),
            Block = FindBlock(build.Index.Lessons, query.Strategy, query.Ticker),
            Note = mode == LessonSearchMode.Lexical ? note : null,
        };
    }

    /// <summary>
    /// The blocking rule on its own: the most recent open CRITICAL lesson whose strategy or ticker equals the trade's
    /// (case-insensitive; '-' and ' ' count as '_'), or null.
    /// </summary>
    public static LessonBlock? FindBlock(IEnumerable<Lesson> lessons, string? strategy, string? ticker)
    {
        ArgumentNullException.ThrowIfNull(lessons);
        var wantStrategy = Normalize(strategy);
        var wantTicker = Normalize(ticker);
        var blockers = lessons
            .Where(l => l.IsBlocking)
            .Select(l => (Lesson: l, Strategy: wantStrategy.Length > 0 && Normalize(l.Strategy) == wantStrategy,
                Ticker: wantTicker.Length > 0 && Normalize(l.Ticker) == wantTicker))
            .Where(m => m.Strategy || m.Ticker)
            .OrderByDescending(m => m.Lesson.Date)
            .ThenBy(m => m.Lesson.Id, StringComparer.Ordinal)
            .ToList();
        if (blockers.Count == 0)
            return null;

        var (lesson, byStrategy, byTicker) = blockers[0];
        var matched = (byStrategy, byTicker) switch
        {
            (true, true) => $"strategy '{lesson.Strategy}' and ticker '{lesson.Ticker}'",
            (true, false) => $"strategy '{lesson.Strategy}'",
            _ => $"ticker '{lesson.Ticker}'",
        };
        var others = blockers.Count > 1
            ? $" ({blockers.Count - 1} more open CRITICAL lesson(s) also match: {string.Join(", ", blockers.Skip(1).Select(b => b.Lesson.Id))})"
            : "";
        return new LessonBlock
        {
            LessonId = lesson.Id,
            Title = lesson.Title,
            Reason = $"Open CRITICAL lesson {lesson.Id} \"{lesson.Title}\" matches the trade's {matched}; " +
                     $"resolve it before trading{others}.",
        };
    }

    private LessonHit ToHit(LessonMatch match) => new()
    {
        LessonId = match.Lesson.Id,
        Title = match.Lesson.Title,
        Severity = match.Lesson.Severity,
        Status = match.Lesson.Status,
        Score = match.Score,
        Section = match.Section.Heading,
        Snippet = Snippet(match.Section.Text),
    };

    private string Snippet(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= _settings.SnippetMaxChars ? flat : flat[..(_settings.SnippetMaxChars - 3)].TrimEnd() + "...";
    }

    private static string Normalize(string? value) =>
        (value ?? "").Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
}
