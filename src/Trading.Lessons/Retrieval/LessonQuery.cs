using Trading.Lessons.Corpus;

namespace Trading.Lessons.Retrieval;

/// <summary>A lessons search for a proposed trade.</summary>
public sealed record LessonQuery
{
    /// <summary>Free text describing the setup (regime, events, concerns).</summary>
    public required string Text { get; init; }

    /// <summary>The proposed trade's strategy (e.g. "iron_condor"); used by the blocking rule.</summary>
    public string Strategy { get; init; } = "";

    /// <summary>The proposed trade's ticker (e.g. "SPY"); used by the blocking rule.</summary>
    public string Ticker { get; init; } = "";

    /// <summary>How many lessons to return; null means <see cref="LessonsSettings.TopK"/>.</summary>
    public int? K { get; init; }

    /// <summary>The pipeline run asking (cost attribution of the query embedding).</summary>
    public string RunId { get; init; } = "lessons";
}

/// <summary>One retrieved lesson.</summary>
public sealed record LessonHit
{
    public required string LessonId { get; init; }

    public required string Title { get; init; }

    public required LessonSeverity Severity { get; init; }

    public required LessonStatus Status { get; init; }

    /// <summary>BM25 score (lexical) or fused reciprocal-rank score (hybrid); comparable within one result only.</summary>
    public required double Score { get; init; }

    /// <summary>Heading of the best-matching section.</summary>
    public required string Section { get; init; }

    /// <summary>The start of that section, at most <see cref="LessonsSettings.SnippetMaxChars"/> characters.</summary>
    public required string Snippet { get; init; }
}

/// <summary>An open CRITICAL lesson that stops the proposed trade.</summary>
public sealed record LessonBlock
{
    public required string LessonId { get; init; }

    public required string Title { get; init; }

    /// <summary>Human-readable reason naming the lesson id, its title and what matched.</summary>
    public required string Reason { get; init; }
}

/// <summary>The answer to a <see cref="LessonQuery"/>.</summary>
public sealed record LessonResults
{
    /// <summary>"hybrid" or "lexical" (see <see cref="Search.LessonSearchMode"/>).</summary>
    public required string Mode { get; init; }

    public required IReadOnlyList<LessonHit> Hits { get; init; }

    /// <summary>Set when an open CRITICAL lesson matches the trade's strategy or ticker; the trade must not proceed.</summary>
    public LessonBlock? Block { get; init; }

    /// <summary>Why the mode is lexical although an embedder is configured, or null.</summary>
    public string? Note { get; init; }
}
