using Trading.Gateway.Routing;
using Trading.Gateway.Telemetry;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Dashboard;

/// <summary>What an arm's agreement rate is measured against.</summary>
public static class AgreementBases
{
    /// <summary>The member's valid votes that matched the council's decision (approve or decline) in the same run.</summary>
    public const string CouncilDecision = "council-decision";

    /// <summary>A shadow's parsed answers that equalled the primary call's (shadows never vote).</summary>
    public const string PrimaryAnswer = "primary-answer";
}

/// <summary>One side of a comparison: a split variant, the primary of a shadowed task, or the shadow.</summary>
/// <param name="Model">Logical model name (for a primary arm, the models that answered, comma-separated).</param>
/// <param name="Role">"variant", "primary" or "shadow".</param>
/// <param name="Weight">The split weight configured for a variant, when it is still configured.</param>
/// <param name="Calls">Calls in the window.</param>
/// <param name="CostUsd">Their cost.</param>
/// <param name="P50LatencyMs">Median latency.</param>
/// <param name="P95LatencyMs">95th percentile latency.</param>
/// <param name="FailureRate">Share of calls that did not succeed (null without calls).</param>
/// <param name="Compared">Votes (or shadow answers) that could be compared.</param>
/// <param name="Agreed">Of those, how many agreed (see <paramref name="AgreementBasis"/>).</param>
/// <param name="AgreementRate">Agreed / Compared (null when nothing was compared).</param>
/// <param name="AgreementBasis">One of <see cref="AgreementBases"/>.</param>
public sealed record ComparisonArm(
    string Model, string Role, int? Weight, int Calls, decimal CostUsd, double? P50LatencyMs, double? P95LatencyMs, double? FailureRate,
    int Compared, int Agreed, double? AgreementRate, string AgreementBasis);

/// <summary>The arms of one traffic split or one shadow, side by side.</summary>
/// <param name="TaskType">The task type routed.</param>
/// <param name="Kind">"split" or "shadow".</param>
/// <param name="Configured">True when the routing settings still name this split or shadow (false: only its past calls remain).</param>
/// <param name="Arms">The arms.</param>
public sealed record ModelComparison(string TaskType, string Kind, bool Configured, IReadOnlyList<ComparisonArm> Arms);

/// <summary>The model comparison panel.</summary>
/// <param name="AsOfUtc">When it was built.</param>
/// <param name="Days">Window length in budget-zone days.</param>
/// <param name="RunsCompared">Runs with calls in the window whose journals hold council votes (the votes compared).</param>
/// <param name="Comparisons">One per split or shadow, configured or seen in the window.</param>
public sealed record ModelComparisonPanel(DateTimeOffset AsOfUtc, int Days, int RunsCompared, IReadOnlyList<ModelComparison> Comparisons);

/// <summary>
/// Builds <see cref="ModelComparisonPanel"/>: calls, cost, latency and failures from the call records; agreement of a member's
/// votes with the council's decision from the run journals; a shadow's agreement with the primary from its call records.
/// </summary>
public sealed class ModelComparisonQuery
{
    private readonly CallRecordStore _calls;
    private readonly RunJournalStore _journal;
    private readonly RoutingPolicy? _policy;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;

    /// <param name="calls">The call records.</param>
    /// <param name="journal">The run journals.</param>
    /// <param name="policy">The routing policy whose splits and shadows are configured (null: only what the records show).</param>
    /// <param name="zone">The budget time zone (call records are partitioned by its days).</param>
    /// <param name="time">The clock.</param>
    public ModelComparisonQuery(CallRecordStore calls, RunJournalStore journal, RoutingPolicy? policy, TimeZoneInfo zone, TimeProvider time)
    {
        _calls = calls ?? throw new ArgumentNullException(nameof(calls));
        _journal = journal ?? throw new ArgumentNullException(nameof(journal));
        _policy = policy;
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The panel over the last <paramref name="days"/> days (1 to <see cref="CallWindow.MaxDays"/>), today included.</summary>
    public async Task<ModelComparisonPanel> ReadAsync(int days, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var window = await CallWindow.ReadAsync(_calls, _zone, now, days, cancellationToken);
        // The runs whose votes are compared: those that made primary calls in the window (point reads, not a scan of every journal).
        var runIds = window.Records.Where(r => !r.IsShadow).Select(r => r.RunId).Distinct(StringComparer.Ordinal).ToArray();
        var runs = (await Task.WhenAll(runIds.Select(id => _journal.GetAsync(id, cancellationToken))))
            .OfType<RunJournal>().Where(j => j.CouncilVotes.Count > 0).ToArray();
        var configured = _policy?.Splits ?? new Dictionary<string, TrafficSplit>();
        var comparisons = new List<ModelComparison>();

        var splitTasks = configured.Values.Where(s => s.Variants.Count > 1).Select(s => s.TaskType)
            .Union(window.Records.Where(r => !r.IsShadow && r.SplitVariant is not null).Select(r => r.TaskType), StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        foreach (var task in splitTasks)
        {
            configured.TryGetValue(task, out var split);
            var records = window.Records.Where(r => !r.IsShadow && r.TaskType == task && r.SplitVariant is not null).ToArray();
            var models = (split?.Variants.Select(v => v.Model) ?? []).Union(records.Select(r => r.SplitVariant!), StringComparer.Ordinal);
            comparisons.Add(new ModelComparison(task, "split", split is not null && split.Variants.Count > 1, [.. models.Select(model =>
            {
                var (compared, agreed) = CouncilAgreement(runs, task, model);
                return Arm(model, "variant", split?.Variants.FirstOrDefault(v => v.Model == model)?.Weight,
                    records.Where(r => r.SplitVariant == model).ToArray(), compared, agreed, AgreementBases.CouncilDecision);
            })]));
        }

        var shadows = configured.Values.Where(s => s.ShadowModel is not null).Select(s => (s.TaskType, Model: s.ShadowModel!))
            .Union(window.Records.Where(r => r.IsShadow).Select(r => (r.TaskType, Model: r.RequestedModel)))
            .OrderBy(s => s.TaskType, StringComparer.Ordinal).ThenBy(s => s.Model, StringComparer.Ordinal);
        foreach (var (task, shadowModel) in shadows)
        {
            var primary = window.Records.Where(r => !r.IsShadow && r.TaskType == task).ToArray();
            var shadow = window.Records.Where(r => r.IsShadow && r.TaskType == task && r.RequestedModel == shadowModel).ToArray();
            var primaryModels = primary.Select(CallWindow.ModelOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var (compared, agreed) = primaryModels.Aggregate((0, 0), (sum, m) =>
            {
                var (c, a) = CouncilAgreement(runs, task, m);
                return (sum.Item1 + c, sum.Item2 + a);
            });
            var shadowCompared = shadow.Count(r => r.AgreedWithPrimary is not null);
            comparisons.Add(new ModelComparison(task, "shadow", configured.TryGetValue(task, out var s) && s.ShadowModel == shadowModel,
            [
                Arm(primaryModels.Length == 0 ? "(no calls)" : string.Join(", ", primaryModels), "primary", null, primary, compared, agreed, AgreementBases.CouncilDecision),
                Arm(shadowModel, "shadow", null, shadow, shadowCompared, shadow.Count(r => r.AgreedWithPrimary == true), AgreementBases.PrimaryAnswer),
            ]));
        }

        return new ModelComparisonPanel(now, days, runs.Length, comparisons);
    }

    /// <summary>Valid votes of <paramref name="model"/> sitting for <paramref name="task"/>, and how many matched the council's decision.</summary>
    private static (int Compared, int Agreed) CouncilAgreement(IReadOnlyList<RunJournal> runs, string task, string model)
    {
        var compared = 0;
        var agreed = 0;
        foreach (var run in runs)
        {
            var council = run.Stages.FirstOrDefault(s => s.Stage == ActivityNames.ConveneCouncil);
            if (council is null)
                continue;
            var approved = council.Verdict == "approve";
            foreach (var vote in run.CouncilVotes.Where(v => v.Valid && v.Member == task && v.DecidedBy == model))
            {
                compared++;
                agreed += vote.Approve == approved ? 1 : 0;
            }
        }

        return (compared, agreed);
    }

    private static ComparisonArm Arm(string model, string role, int? weight, GatewayCallRecord[] records, int compared, int agreed, string basis) =>
        new(model, role, weight, records.Length, records.Sum(r => r.CostUsd),
            LatencyPercentiles.Of(records.Select(r => r.LatencyMs), 50), LatencyPercentiles.Of(records.Select(r => r.LatencyMs), 95),
            records.Length == 0 ? null : Math.Round((double)records.Count(CallWindow.Failed) / records.Length, 3),
            compared, agreed, compared == 0 ? null : Math.Round((double)agreed / compared, 3), basis);
}
