using System.Globalization;
using Trading.Pipeline.Journal;

namespace Trading.Pipeline.State;

/// <summary>Run journals: by id, and newest first for the status page.</summary>
public sealed class RunJournalStore
{
    private const string ById = "run";
    private const string Recent = "recent";
    private readonly PipelineTables _tables;

    public RunJournalStore(PipelineTables tables) => _tables = tables;

    /// <summary>Writes (or rewrites, on a retry) a run's journal.</summary>
    public async Task SaveAsync(RunJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        await _tables.Journal.UpsertAsync(ById, journal.InstanceId, journal, cancellationToken);
        var started = new DateTimeOffset(DateTime.SpecifyKind(journal.StartedUtc, DateTimeKind.Utc));
        var recentKey = (DateTimeOffset.MaxValue.UtcTicks - started.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + journal.InstanceId;
        await _tables.Journal.UpsertAsync(Recent, recentKey, journal, cancellationToken);
    }

    public async Task<RunJournal?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        (await _tables.Journal.GetAsync<RunJournal>(ById, instanceId, cancellationToken))?.Value;

    /// <summary>The newest journals first.</summary>
    public async Task<IReadOnlyList<RunJournal>> RecentAsync(int count, CancellationToken cancellationToken) =>
        (await _tables.Journal.QueryPartitionAsync<RunJournal>(Recent, count, cancellationToken)).Select(e => e.Value).ToArray();
}
