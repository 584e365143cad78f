using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Trading.Hosting.Scheduling;
using Trading.Lessons.Retrieval;
using Trading.Pipeline.State;

namespace Trading.Cli.Mcp;

/// <summary>
/// Resources every profile can read by URI: a lesson of the library (<c>trading://lessons/{id}</c>, its markdown file) and
/// a run's journal (<c>trading://runs/{id}</c>, JSON). The tools give the URIs (search_lessons, list_runs, start_run).
/// </summary>
[McpServerResourceType]
public sealed class TradingResources
{
    private readonly LessonLibrary _library;
    private readonly RunJournalStore _journals;

    public TradingResources(LessonLibrary library, RunJournalStore journals)
    {
        _library = library;
        _journals = journals;
    }

    [McpServerResource(UriTemplate = "trading://lessons/{lessonId}", Name = "lesson", Title = "A lesson learned", MimeType = "text/markdown")]
    [Description("One lesson of the curated library as its markdown file: front matter (id, severity, status, strategy, ticker) and the sections what happened, root cause, fix, prevention.")]
    public async Task<TextResourceContents> LessonAsync(string lessonId, CancellationToken cancellationToken)
    {
        var build = await _library.GetIndexAsync(cancellationToken);
        var lesson = build.Index.Lessons.FirstOrDefault(l => string.Equals(l.Id, lessonId, StringComparison.OrdinalIgnoreCase))
            ?? throw NotFound($"No lesson '{ObserverTools.Printable(lessonId)}'; search_lessons gives the ids.");
        var text = File.Exists(lesson.SourcePath)
            ? await File.ReadAllTextAsync(lesson.SourcePath, cancellationToken)
            : string.Join("\n\n", lesson.Sections.Select(s => $"## {s.Heading}\n{s.Text}").Prepend($"# {lesson.Title}"));
        return new TextResourceContents { Uri = ObserverTools.LessonUri(lesson.Id), MimeType = "text/markdown", Text = text };
    }

    [McpServerResource(UriTemplate = "trading://runs/{runId}", Name = "run-journal", Title = "A run's journal", MimeType = "application/json")]
    [Description("One run's journal as JSON: trigger, dry run or not, every stage's verdict and one-line reason, the models used, LLM cost, the order and its fill, and why the run ended.")]
    public async Task<TextResourceContents> RunJournalAsync(string runId, CancellationToken cancellationToken)
    {
        if (!RunInstanceIds.IsValid(runId))
        {
            throw new McpProtocolException("Invalid run id: use 1-100 letters, digits, '-', ':', '_' or '.'.", McpErrorCode.InvalidParams);
        }

        var journal = await _journals.GetAsync(runId, cancellationToken)
            ?? throw NotFound($"No journal for run '{runId}' (a run being executed has none until it ends; get_run shows its status).");
        return new TextResourceContents
        {
            Uri = "trading://runs/" + Uri.EscapeDataString(runId),
            MimeType = "application/json",
            Text = JsonSerializer.Serialize(journal, ToolResults.Json),
        };
    }

    /// <summary>How many recent runs resources/list names.</summary>
    public const int ListedRuns = 20;

    /// <summary>resources/list: every lesson of the library and the most recent run journals, so an agent can browse them.</summary>
    public static async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = new ListResourcesResult();
        var services = request.Services ?? throw new InvalidOperationException("The request has no services.");
        // A static handler (resources/list is not a per-resource method), so its services come with the request.
        var library = services.GetRequiredService<LessonLibrary>();
        foreach (var lesson in (await library.GetIndexAsync(cancellationToken)).Index.Lessons.OrderBy(l => l.Id, StringComparer.Ordinal))
        {
            result.Resources.Add(new Resource
            {
                Uri = ObserverTools.LessonUri(lesson.Id),
                Name = lesson.Id,
                Title = lesson.Title,
                Description = $"{lesson.Severity} lesson, {lesson.Status}{(lesson.IsBlocking ? ", blocks matching trades" : string.Empty)}.",
                MimeType = "text/markdown",
            });
        }

        foreach (var run in await services.GetRequiredService<RunJournalStore>().RecentAsync(ListedRuns, cancellationToken))
        {
            result.Resources.Add(new Resource
            {
                Uri = "trading://runs/" + Uri.EscapeDataString(run.InstanceId),
                Name = run.InstanceId,
                Title = $"Run {run.InstanceId}",
                Description = $"{run.Kind} run ({run.Trigger}{(run.DryRun ? ", dry run" : string.Empty)}), ended {run.EndReason}.",
                MimeType = "application/json",
            });
        }

        return result;
    }

    private static McpProtocolException NotFound(string message) => new(message, McpErrorCode.ResourceNotFound);
}
