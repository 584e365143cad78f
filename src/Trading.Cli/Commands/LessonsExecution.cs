using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trading.Cli.Configuration;
using Trading.Lessons.Drafts;
using Trading.Lessons.Retrieval;

namespace Trading.Cli.Commands;

/// <summary>Runs <c>trading lessons</c>: the lessons library, or with <c>--drafts</c> the drafts waiting for review.</summary>
internal static class LessonsExecution
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> ExecuteAsync(CliContext context, bool drafts, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using var command = await CommandServices.CreateAsync(context, error, cancellationToken);
        if (drafts)
        {
            var store = command.Services.GetService<DraftLessonStore>()
                ?? throw new CliUsageException("The lessons library is not configured (Lessons section).");
            var list = await store.ListDraftsAsync(cancellationToken);
            if (json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(list, Json));
                return TradingCommandLine.Success;
            }

            if (list.Count == 0)
            {
                await output.WriteLineAsync("No draft lessons. Drafts are written when a closed trade loses a large part of its maximum risk, or proposed by an agent (MCP draft_lesson).");
                return TradingCommandLine.Success;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{list.Count} draft lesson(s) waiting for review:"));
            foreach (var draft in list)
            {
                var origin = draft.Source == DraftSources.Loss
                    ? string.Create(CultureInfo.InvariantCulture, $"P&L {draft.RealizedPnlDollars:0.00} ({draft.LossPctOfMaxRisk:0.#}% of max risk)")
                    : $"proposed by {draft.Source}";
                var run = draft.RunId.Length > 0 ? $"  [run {draft.RunId}: {draft.JournalLink}]" : string.Empty;
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {draft.CreatedAt:yyyy-MM-dd}  {draft.SuggestedSeverity,-8}  {origin}  {draft.Title}{run}"));
            }

            return TradingCommandLine.Success;
        }

        var library = command.Services.GetService<LessonLibrary>()
            ?? throw new CliUsageException("The lessons library is not configured (Lessons section).");
        var build = await library.GetIndexAsync(cancellationToken);
        var lessons = build.Index.Lessons;
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(
                lessons.Select(l => new { l.Id, l.Title, l.Date, severity = l.Severity.ToString(), status = l.Status.ToString(), l.Strategy, l.Ticker, l.IsBlocking }),
                Json));
            return TradingCommandLine.Success;
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{lessons.Count} lesson(s) in the library (search: {(build.Index.HasVectors ? "hybrid" : "lexical")}). 'trading lessons --drafts' lists drafts waiting for review."));
        foreach (var lesson in lessons.OrderByDescending(l => l.Date))
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"  {lesson.Date:yyyy-MM-dd}  {lesson.Severity,-8}  {lesson.Status,-8}  {lesson.Title}{(lesson.IsBlocking ? "  (BLOCKS matching trades)" : string.Empty)}"));
        }

        return TradingCommandLine.Success;
    }
}
