namespace Trading.Lessons.Corpus;

/// <summary>How much a lesson matters; an open CRITICAL lesson can block a matching trade.</summary>
public enum LessonSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

/// <summary>Whether the problem a lesson describes is still present.</summary>
public enum LessonStatus
{
    Open,
    Resolved,
}

/// <summary>The four sections every lesson has, in their canonical order.</summary>
public enum LessonSectionKind
{
    WhatHappened,
    RootCause,
    Fix,
    Prevention,
}

/// <summary>One section of a lesson: the unit that is indexed, embedded and returned as a snippet.</summary>
/// <param name="LessonId">The owning lesson's id.</param>
/// <param name="Kind">Which section this is.</param>
/// <param name="Text">The section body, trimmed.</param>
public sealed record LessonSection(string LessonId, LessonSectionKind Kind, string Text)
{
    /// <summary>The heading as written in the corpus ("What happened", "Root cause", ...).</summary>
    public string Heading => LessonSections.HeadingOf(Kind);
}

/// <summary>A lesson learned, parsed from one markdown file of the corpus.</summary>
public sealed record Lesson
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required DateOnly Date { get; init; }

    public required LessonSeverity Severity { get; init; }

    public required LessonStatus Status { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Strategy the lesson applies to (e.g. "iron_condor"); empty when it applies to none in particular.</summary>
    public string Strategy { get; init; } = "";

    /// <summary>Ticker the lesson applies to (e.g. "SPY"); empty when it applies to none in particular.</summary>
    public string Ticker { get; init; } = "";

    /// <summary>The file the lesson came from (for error messages and drafts' promotion).</summary>
    public string SourcePath { get; init; } = "";

    public required IReadOnlyList<LessonSection> Sections { get; init; }

    /// <summary>True when this lesson, as written, stops trades on its strategy or ticker.</summary>
    public bool IsBlocking => Severity == LessonSeverity.Critical && Status == LessonStatus.Open;
}

/// <summary>Section headings of the corpus format.</summary>
public static class LessonSections
{
    /// <summary>The heading text for a section kind.</summary>
    public static string HeadingOf(LessonSectionKind kind) => kind switch
    {
        LessonSectionKind.WhatHappened => "What happened",
        LessonSectionKind.RootCause => "Root cause",
        LessonSectionKind.Fix => "Fix",
        LessonSectionKind.Prevention => "Prevention",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown section kind."),
    };

    /// <summary>Parses a heading (case-insensitive, surrounding spaces ignored); false when it is not one of the four.</summary>
    public static bool TryParse(string heading, out LessonSectionKind kind)
    {
        foreach (var candidate in Enum.GetValues<LessonSectionKind>())
        {
            if (string.Equals(HeadingOf(candidate), heading.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
