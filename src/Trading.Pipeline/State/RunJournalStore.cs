using System.Globalization;
using Trading.Pipeline.Journal;

namespace Trading.Pipeline.State;

/// <summary>
/// Run journals: by id, and newest first for the status page. "Newest" is by the wall clock when the journal was first recorded,
/// not by the run's market time (a local simulated run happens days ahead), and a run rewritten later (a retry, a resume) keeps
/// its one place in the list.
/// </summary>
public sealed class RunJournalStore
{
    private const string ById = "run";
    private const string Recent = "recent";
    private readonly PipelineTables _tables;
    private readonly TimeProvider _wallClock;

    /// <param name="tables">The pipeline's tables.</param>
    /// <param name="wallClock">When runs are recorded (default: the system clock, whatever clock the runs themselves use).</param>
    public RunJournalStore(PipelineTables tables, TimeProvider? wallClock = null)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _wallClock = wallClock ?? TimeProvider.System;
    }

    /// <summary>Writes (or rewrites, on a retry) a run's journal; returns it as stored (with its recording time).</summary>
    public async Task<RunJournal> SaveAsync(RunJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var earlier = await GetAsync(journal.InstanceId, cancellationToken);
        var recorded = earlier?.RecordedUtc ?? journal.RecordedUtc ?? _wallClock.GetUtcNow();
        journal = journal with { RecordedUtc = recorded };
        await _tables.Journal.UpsertAsync(ById, journal.InstanceId, journal, cancellationToken);
        await _tables.Journal.UpsertAsync(Recent, RecentKey(recorded, journal.InstanceId), journal, cancellationToken);
        if (earlier is not null && earlier.RecordedUtc is null)
        {
            // Written before journals carried their recording time: its row was keyed by the market time; keep one row per run.
            await _tables.Journal.DeleteAsync(Recent, RecentKey(new DateTimeOffset(DateTime.SpecifyKind(earlier.StartedUtc, DateTimeKind.Utc)), earlier.InstanceId), cancellationToken);
        }

        return journal;
    }

    public async Task<RunJournal?> GetAsync(string instanceId, CancellationToken cancellationToken) =>
        (await _tables.Journal.GetAsync<RunJournal>(ById, instanceId, cancellationToken))?.Value;

    /// <summary>The newest journals first.</summary>
    public async Task<IReadOnlyList<RunJournal>> RecentAsync(int count, CancellationToken cancellationToken) =>
        (await _tables.Journal.QueryPartitionAsync<RunJournal>(Recent, count, cancellationToken)).Select(e => e.Value).ToArray();

    private static string RecentKey(DateTimeOffset recorded, string instanceId) =>
        (DateTimeOffset.MaxValue.UtcTicks - recorded.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + instanceId;
}
