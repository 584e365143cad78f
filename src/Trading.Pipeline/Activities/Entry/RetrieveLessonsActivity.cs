using Trading.Lessons.Retrieval;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>RetrieveLessons: the top lessons for the setup (RAG) and the blocking rule for CRITICAL unresolved ones.</summary>
public sealed class RetrieveLessonsActivity : PipelineActivity<ProposalInput, LessonsRecall>
{
    private readonly LessonRetriever? _lessons;

    public RetrieveLessonsActivity(LessonRetriever? lessons = null)
        : base(ActivityNames.RetrieveLessons)
    {
        _lessons = lessons;
    }

    public override async Task<LessonsRecall> RunAsync(ProposalInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_lessons is null)
        {
            return new LessonsRecall { Summary = "no lessons library configured" };
        }

        var query = new LessonQuery
        {
            Text = $"{input.Strategy.Strategy.Replace('_', ' ')} {input.Snapshot.Symbol} {input.Snapshot.Regime} regime {input.Strategy.Variant} entry",
            Strategy = input.Strategy.Strategy,
            Ticker = input.Snapshot.Symbol,
            RunId = input.Run.RunId,
        };
        var results = await _lessons.RetrieveAsync(query, cancellationToken);
        var lessons = results.Hits.Select(h => new LessonReference
        {
            Id = h.LessonId,
            Title = h.Title,
            Severity = h.Severity.ToString().ToUpperInvariant(),
            Status = h.Status.ToString().ToUpperInvariant(),
            Score = Math.Round(h.Score, 4),
            Prevention = h.Snippet,
        }).ToArray();
        var blocked = results.Block is not null;
        return new LessonsRecall
        {
            Lessons = lessons,
            Blocked = blocked,
            BlockingLesson = results.Block?.Reason,
            Summary = blocked
                ? $"BLOCKED by {results.Block!.LessonId}: {results.Block.Title}"
                : $"{lessons.Length} lesson(s) ({results.Mode}): {string.Join("; ", lessons.Select(l => l.Title))}",
        };
    }
}
