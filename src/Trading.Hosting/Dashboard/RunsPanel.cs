using System.Reflection;
using Trading.Pipeline.Journal;
using Trading.Pipeline.State;

namespace Trading.Hosting.Dashboard;

/// <summary>One run in the list: what it was, how it ended, and each stage's verdict with its reason.</summary>
public sealed record RunRow(
    string InstanceId, string Kind, string Trigger, bool DryRun, DateTime StartedUtc, DateTimeOffset? RecordedUtc, string EndReason, string EndDetail,
    string DecisionMode, decimal LlmCostUsd, bool Simulated, IReadOnlyList<StageRecord> Stages);

/// <summary>The runs panel: the newest runs (optionally of one outcome) and how the scanned runs ended.</summary>
/// <param name="Outcome">The outcome filter applied, or null.</param>
/// <param name="Scanned">Journals read (the newest ones).</param>
/// <param name="OutcomeCounts">How many of the scanned runs ended each way.</param>
/// <param name="Outcomes">Every outcome code a run can end with (the filter's choices).</param>
/// <param name="Runs">The newest matching runs, newest first.</param>
public sealed record RunsPanel(string? Outcome, int Scanned, IReadOnlyDictionary<string, int> OutcomeCounts, IReadOnlyList<string> Outcomes, IReadOnlyList<RunRow> Runs);

/// <summary>Builds <see cref="RunsPanel"/> from the run journals.</summary>
public sealed class RunsQuery
{
    /// <summary>Most runs listed at once.</summary>
    public const int MaxLimit = 200;

    /// <summary>Journals scanned when filtering by outcome (the newest ones).</summary>
    public const int FilterScan = 1_000;

    private readonly RunJournalStore _journal;

    public RunsQuery(RunJournalStore journal) => _journal = journal ?? throw new ArgumentNullException(nameof(journal));

    /// <summary>Every <see cref="RunEndReasons"/> code.</summary>
    public static IReadOnlyList<string> Outcomes { get; } =
        [.. typeof(RunEndReasons).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    /// <summary>The newest <paramref name="limit"/> runs, only those that ended with <paramref name="outcome"/> when given.</summary>
    public async Task<RunsPanel> ReadAsync(string? outcome, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        if (outcome is not null && !Outcomes.Contains(outcome, StringComparer.Ordinal))
            throw new ArgumentException($"Unknown outcome '{outcome}'.", nameof(outcome));
        var scanned = await _journal.RecentAsync(outcome is null ? limit : FilterScan, cancellationToken);
        var counts = scanned.GroupBy(j => j.EndReason, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return new RunsPanel(outcome, scanned.Count, counts, Outcomes,
            [.. scanned.Where(j => outcome is null || j.EndReason == outcome).Take(limit).Select(j => new RunRow(
                j.InstanceId, j.Kind, j.Trigger, j.DryRun, j.StartedUtc, j.RecordedUtc, j.EndReason, j.EndDetail, j.DecisionMode, j.LlmCostUsd,
                j.MarketSimulated || j.BrokerSimulated, j.Stages))]);
    }
}
