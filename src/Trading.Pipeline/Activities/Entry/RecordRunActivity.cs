using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>RecordRun: stores the run's journal (an upsert, so a retry is harmless).</summary>
public sealed class RecordRunActivity : PipelineActivity<RunJournal, RunJournal>
{
    private readonly RunJournalStore _journal;

    public RecordRunActivity(RunJournalStore journal)
        : base(ActivityNames.RecordRun)
    {
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
    }

    public override async Task<RunJournal> RunAsync(RunJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return await _journal.SaveAsync(journal, cancellationToken);
    }
}
