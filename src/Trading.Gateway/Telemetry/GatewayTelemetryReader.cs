namespace Trading.Gateway.Telemetry;

/// <summary>Calls and spend grouped by one key (model, task type, or split variant).</summary>
/// <param name="Key">Model, task type or "task/variant".</param>
/// <param name="Calls">Number of calls.</param>
/// <param name="Failures">Calls that did not succeed.</param>
/// <param name="CostUsd">Their cost.</param>
/// <param name="MeanLatencyMs">Mean latency.</param>
public sealed record SpendGroup(string Key, int Calls, int Failures, decimal CostUsd, double MeanLatencyMs);

/// <summary>Shadow comparisons for one task type and shadow model.</summary>
/// <param name="TaskType">Task type.</param>
/// <param name="ShadowModel">Shadow model.</param>
/// <param name="Calls">Shadow calls.</param>
/// <param name="Compared">Calls where both answers were valid.</param>
/// <param name="AgreementRate">Share of compared calls whose answers matched (null when none compared).</param>
/// <param name="CostUsd">Shadow cost.</param>
/// <param name="MeanLatencyMs">Mean shadow latency.</param>
public sealed record ShadowComparison(string TaskType, string ShadowModel, int Calls, int Compared, double? AgreementRate, decimal CostUsd, double MeanLatencyMs);

/// <summary>Gateway activity of one day (budget time zone).</summary>
/// <param name="Day">"yyyy-MM-dd".</param>
/// <param name="Calls">All calls, shadows included.</param>
/// <param name="CostUsd">All spend, shadows included.</param>
/// <param name="ByModel">By served (or requested) model.</param>
/// <param name="ByTaskType">By task type.</param>
/// <param name="BySplitVariant">Primary calls under a split, by "task/variant".</param>
/// <param name="Shadows">Shadow comparisons.</param>
public sealed record DailyGatewaySummary(
    string Day, int Calls, decimal CostUsd, IReadOnlyList<SpendGroup> ByModel, IReadOnlyList<SpendGroup> ByTaskType,
    IReadOnlyList<SpendGroup> BySplitVariant, IReadOnlyList<ShadowComparison> Shadows);

/// <summary>Spend of one pipeline run.</summary>
/// <param name="RunId">Run id.</param>
/// <param name="Calls">Calls attributed to it.</param>
/// <param name="CostUsd">Their cost (shadows included: they were paid for).</param>
/// <param name="CostEstimated">True when part of the cost is an estimate.</param>
public sealed record RunSpend(string RunId, int Calls, decimal CostUsd, bool CostEstimated);

/// <summary>Queries over the call records: spend and calls by day, model, task type, split variant and run.</summary>
public sealed class GatewayTelemetryReader
{
    private readonly CallRecordStore _store;

    /// <summary>Creates the reader.</summary>
    public GatewayTelemetryReader(CallRecordStore store) => _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>The summary of <paramref name="day"/> (a budget-zone calendar day).</summary>
    public async Task<DailyGatewaySummary> GetDailySummaryAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var key = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var records = await _store.ReadDayAsync(key, cancellationToken);
        return new DailyGatewaySummary(
            key,
            records.Count,
            records.Sum(r => r.CostUsd),
            Group(records, r => r.ServedModel ?? r.RequestedModel),
            Group(records, r => r.TaskType),
            Group(records.Where(r => !r.IsShadow && r.SplitVariant is not null), r => $"{r.TaskType}/{r.SplitVariant}"),
            [.. records.Where(r => r.IsShadow)
                .GroupBy(r => (r.TaskType, r.RequestedModel))
                .OrderBy(g => g.Key.TaskType, StringComparer.Ordinal).ThenBy(g => g.Key.RequestedModel, StringComparer.Ordinal)
                .Select(g =>
                {
                    var compared = g.Count(r => r.AgreedWithPrimary is not null);
                    return new ShadowComparison(g.Key.TaskType, g.Key.RequestedModel, g.Count(), compared,
                        compared == 0 ? null : (double)g.Count(r => r.AgreedWithPrimary == true) / compared,
                        g.Sum(r => r.CostUsd), g.Average(r => r.LatencyMs));
                })]);
    }

    /// <summary>The spend of run <paramref name="runId"/>, whose calls were made on <paramref name="day"/> (and the next day, for runs crossing midnight).</summary>
    public async Task<RunSpend> GetRunSpendAsync(string runId, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runId);
        var records = new List<GatewayCallRecord>();
        foreach (var d in new[] { day, day.AddDays(1) })
        {
            var key = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            records.AddRange((await _store.ReadDayAsync(key, cancellationToken)).Where(r => r.RunId == runId));
        }

        return new RunSpend(runId, records.Count, records.Sum(r => r.CostUsd), records.Any(r => r.CostEstimated));
    }

    private static SpendGroup[] Group(IEnumerable<GatewayCallRecord> records, Func<GatewayCallRecord, string> key) =>
        [.. records.GroupBy(key, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SpendGroup(g.Key, g.Count(), g.Count(r => r.Outcome != "succeeded"), g.Sum(r => r.CostUsd), g.Average(r => r.LatencyMs)))];
}
