using Trading.Pipeline.Journal;

namespace Trading.Pipeline.Orchestration;

/// <summary>Accumulates a run's journal inside an orchestration (pure, deterministic).</summary>
internal sealed class JournalBuilder
{
    private readonly List<StageRecord> _stages = [];
    private readonly List<ModelUsage> _usage = [];
    private RunJournal _journal;

    public JournalBuilder(string instanceId, string kind, string trigger, bool dryRun, DateTime startedUtc)
    {
        _journal = new RunJournal
        {
            InstanceId = instanceId,
            Kind = kind,
            Trigger = trigger,
            DryRun = dryRun,
            StartedUtc = startedUtc,
        };
    }

    public void Stage(string stage, string verdict, string summary) =>
        _stages.Add(new StageRecord { Stage = stage, Verdict = verdict, Summary = summary });

    public void Usage(IEnumerable<ModelUsage> usage) => _usage.AddRange(usage);

    public void Update(Func<RunJournal, RunJournal> change) => _journal = change(_journal);

    public RunJournal Build(string endReason, string endDetail, DateTime endedUtc) =>
        _journal with
        {
            EndReason = endReason,
            EndDetail = endDetail,
            EndedUtc = endedUtc,
            Stages = _stages.ToArray(),
            ModelsUsed = _usage
                .Select(u => u.ServedModel ?? u.RequestedModel)
                .Where(m => !string.IsNullOrEmpty(m))
                .Distinct(StringComparer.Ordinal)
                .ToArray(),
            LlmCostUsd = _usage.Sum(u => u.CostUsd),
        };
}
