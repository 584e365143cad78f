using System.Globalization;
using Trading.Core.Exits;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Core.Risk;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>
/// Gathers the risk manager's inputs (account, open condors from the book, today's entries, last stop-out, trades in the last
/// hour, peak equity, halt switch, clock) and applies the core's <see cref="RiskManager"/>. No model can override its verdict.
/// </summary>
public sealed class EntryRiskCheck
{
    private readonly RiskManager _manager;
    private readonly RiskLimits _limits;
    private readonly ExitRules _exit;

    public EntryRiskCheck(RiskLimits limits, ExitRules exit)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _manager = new RiskManager(limits);
        _limits = limits;
        _exit = exit ?? throw new ArgumentNullException(nameof(exit));
    }

    public RiskAssessment Assess(
        ProposalInput input, BrokerAccount account, IReadOnlyList<PositionRecord> positions, HaltState halt, decimal peakEquity, bool marketOpen, DateTimeOffset now,
        IReadOnlyList<DailyImpliedVolatility> volatilityHistory)
    {
        ArgumentNullException.ThrowIfNull(volatilityHistory);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(halt);
        var proposal = input.Strategy.Proposal ?? throw new ArgumentException("AssessRisk needs a proposal.", nameof(input));
        var active = positions.Where(p => PositionStates.IsActive(p.State)).ToArray();
        var marketDay = Trading.Markets.Calendar.EasternTime.DateOf(now);
        var ivRank = input.Strategy.AtmVolatilityPct is { } iv
            ? ImpliedVolatilityRank.Compute(volatilityHistory.Select(d => d.AtmIv30Pct).ToArray(), iv, _limits.MinIvHistoryDays)
            : null;
        var context = new RiskContext
        {
            Account = account,
            Condor = ProposalMapping.ToCondor(proposal),
            OpenCondors = active.Select(p => new OpenCondorRisk(
                p.PositionId, p.Expiration, Math.Max(0, p.WingWidthDollars - (p.EntryCredit ?? p.LimitCredit)) * 100m * p.OpenContracts)).ToArray(),
            NewCondorsToday = positions.Count(p => p.State != PositionStates.Abandoned && Trading.Markets.Calendar.EasternTime.DateOf(p.OpenedUtc) == marketDay),
            StartOfDayEquity = account.LastEquity > 0 ? account.LastEquity : account.Equity,
            PeakEquity = Math.Max(peakEquity, account.Equity),
            VolatilityProxyPct = input.Strategy.AtmVolatilityPct is { } vol ? (decimal)vol : null,
            IvRankPct = ivRank is { } rank ? (decimal)rank : null,
            IvHistoryDays = volatilityHistory.Count,
            StopLossDebit = _exit.StopDebit(proposal.MidCredit),
            LastStopOutAt = positions.Where(p => p.ExitReason is "stop-loss" or "StopLoss" or "ShortStrikeBreached" && p.ClosedUtc is not null)
                .Select(p => p.ClosedUtc).Max(),
            TradesInLastHour = positions.Count(p => p.OpenedUtc > now.AddHours(-1) && p.OpenedUtc <= now),
            HaltSwitchOn = halt.Halted,
            HaltReason = halt.Halted ? halt.Reason : null,
            MarketOpen = marketOpen,
            Now = now,
        };
        var verdict = _manager.Assess(context);
        var violations = verdict.Violations.Select(v => v.ToString()).ToArray();
        return new RiskAssessment
        {
            Approved = verdict.Approved,
            Contracts = verdict.ApprovedQuantity,
            VolatilityBand = verdict.VolatilityBand?.ToString(),
            HaltedUntilResumed = verdict.HaltedUntilResumed,
            MaxLossBudgetDollars = verdict.MaxLossBudgetDollars,
            IvRankPct = ivRank,
            Violations = violations,
            Summary = verdict.Approved
                ? string.Create(CultureInfo.InvariantCulture,
                    $"approved {verdict.ApprovedQuantity} contract(s): worst-case max loss ${verdict.MaxLossBudgetDollars:0} (at the natural credit {proposal.NaturalCredit:0.00}) within ${verdict.AllowedRiskDollars:0}, IV rank {ivRank:0}, band {verdict.VolatilityBand}, size ×{verdict.SizeMultiplier}")
                : "rejected: " + string.Join("; ", violations),
        };
    }
}
