using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Telemetry;

namespace Trading.Pipeline.Dashboard;

/// <summary>Spend and calls of one budget-zone day.</summary>
public sealed record DailySpend(string Day, int Calls, decimal CostUsd, int CriticalCalls, int Failures);

/// <summary>One model's calls over the window (served model, else the requested one; shadows included: they were paid for).</summary>
public sealed record ModelSpend(
    string Model, int Calls, decimal CostUsd, double? P50LatencyMs, double? P95LatencyMs, int Failures, int Fallbacks, int CriticalCalls, int ShadowCalls);

/// <summary>One CRITICAL call (the final go/no-go), listed so it can be checked by eye.</summary>
public sealed record CriticalCall(DateTimeOffset StartedUtc, string RunId, string TaskType, string RequestedModel, string? ServedModel, string Outcome, decimal CostUsd, double LatencyMs);

/// <summary>A budget window's spend against its cap.</summary>
public sealed record BudgetUse(string Window, decimal SpentUsd, decimal ReservedUsd, decimal LimitUsd, decimal RemainingUsd);

/// <summary>The LLM spend panel: cost per day against the daily budget, month to date against the monthly one, and calls per model.</summary>
public sealed record LlmSpendPanel(
    DateTimeOffset AsOfUtc,
    string TimeZone,
    int Days,
    decimal DailyLimitUsd,
    decimal MonthlyLimitUsd,
    BudgetUse Today,
    BudgetUse MonthToDate,
    int Calls,
    decimal CostUsd,
    IReadOnlyList<DailySpend> PerDay,
    IReadOnlyList<ModelSpend> PerModel,
    IReadOnlyList<CriticalCall> CriticalCalls);

/// <summary>Builds <see cref="LlmSpendPanel"/> from the budget ledger and the call records.</summary>
public sealed class LlmSpendQuery
{
    /// <summary>At most this many CRITICAL calls are listed (newest first).</summary>
    public const int MaxCriticalCallsListed = 50;

    private readonly BudgetLedger _ledger;
    private readonly CallRecordStore _calls;
    private readonly TimeProvider _time;

    public LlmSpendQuery(BudgetLedger ledger, CallRecordStore calls, TimeProvider time)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _calls = calls ?? throw new ArgumentNullException(nameof(calls));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The panel over the last <paramref name="days"/> days (1 to <see cref="CallWindow.MaxDays"/>), today included.</summary>
    public async Task<LlmSpendPanel> ReadAsync(int days, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var budget = await _ledger.GetStatusAsync(cancellationToken);
        var window = await CallWindow.ReadAsync(_calls, _ledger.TimeZone, now, days, cancellationToken);
        var byDay = window.Records.ToLookup(r => r.Day, StringComparer.Ordinal);
        return new LlmSpendPanel(
            now,
            _ledger.TimeZone.Id,
            days,
            _ledger.Limits.DailyLimitUsd,
            _ledger.Limits.MonthlyLimitUsd,
            Use(budget.Day, budget.DaySpend),
            Use(budget.Month, budget.MonthSpend),
            window.Records.Count,
            window.Records.Sum(r => r.CostUsd),
            [.. window.Days.Select(d => new DailySpend(
                d, byDay[d].Count(), byDay[d].Sum(r => r.CostUsd), byDay[d].Count(CallWindow.IsCritical), byDay[d].Count(CallWindow.Failed)))],
            [.. window.Records.GroupBy(CallWindow.ModelOf, StringComparer.Ordinal)
                .OrderByDescending(g => g.Sum(r => r.CostUsd)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ModelSpend(
                    g.Key, g.Count(), g.Sum(r => r.CostUsd),
                    LatencyPercentiles.Of(g.Select(r => r.LatencyMs), 50), LatencyPercentiles.Of(g.Select(r => r.LatencyMs), 95),
                    g.Count(CallWindow.Failed), g.Count(CallWindow.FellBack), g.Count(CallWindow.IsCritical), g.Count(r => r.IsShadow)))],
            [.. window.Records.Where(CallWindow.IsCritical).OrderByDescending(r => r.StartedUtc).Take(MaxCriticalCallsListed)
                .Select(r => new CriticalCall(r.StartedUtc, r.RunId, r.TaskType, r.RequestedModel, r.ServedModel, r.Outcome, r.CostUsd, Math.Round(r.LatencyMs, MidpointRounding.AwayFromZero)))]);
    }

    private static BudgetUse Use(BudgetWindow window, WindowSpend spend) =>
        new(window.Key, spend.SettledUsd, spend.ReservedUsd, spend.LimitUsd, spend.RemainingUsd);
}
