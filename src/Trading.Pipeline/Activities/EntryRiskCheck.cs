using System.Globalization;
using Trading.Core.Markets;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>
/// Gathers the risk manager's inputs (account, open condors, today's entries, halt switch, clock) and applies the hard limits.
/// </summary>
public sealed class EntryRiskCheck
{
    private readonly decimal _maxRiskPerTradePct;
    private readonly int _maxOpenCondors;
    private readonly int _maxNewPerDay;

    public EntryRiskCheck(decimal maxRiskPerTradePct = 2m, int maxOpenCondors = 2, int maxNewPerDay = 1)
    {
        _maxRiskPerTradePct = maxRiskPerTradePct;
        _maxOpenCondors = maxOpenCondors;
        _maxNewPerDay = maxNewPerDay;
    }

    public RiskAssessment Assess(ProposalInput input, BrokerAccount account, IReadOnlyList<PositionRecord> positions, HaltState halt, bool marketOpen, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(halt);
        var proposal = input.Strategy.Proposal!;
        var violations = new List<string>();
        var active = positions.Where(p => PositionStates.IsActive(p.State)).ToArray();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var openedToday = positions.Count(p => DateOnly.FromDateTime(p.OpenedUtc.UtcDateTime) == today && p.State != PositionStates.Abandoned);
        if (halt.Halted)
        {
            violations.Add($"HaltSwitch: {halt.Reason}");
        }

        if (account.TradingBlocked)
        {
            violations.Add("AccountBlocked: the account cannot trade");
        }

        if (active.Length >= _maxOpenCondors)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"MaxOpenCondors: {active.Length} open, limit {_maxOpenCondors}"));
        }

        if (openedToday >= _maxNewPerDay)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture, $"MaxNewCondorsPerDay: {openedToday} opened today, limit {_maxNewPerDay}"));
        }

        if (active.Any(p => p.Expiration == proposal.Expiration))
        {
            violations.Add($"DuplicateExpiry: a condor expiring {proposal.Expiration:yyyy-MM-dd} is already open");
        }

        var allowed = account.Equity * _maxRiskPerTradePct / 100m;
        var contracts = proposal.MaxLossPerContractDollars > 0 ? (int)Math.Floor(allowed / proposal.MaxLossPerContractDollars) : 0;
        contracts = Math.Min(contracts, 2);
        if (contracts < 1)
        {
            violations.Add(string.Create(CultureInfo.InvariantCulture,
                $"MaxRiskPerTrade: max loss ${proposal.MaxLossPerContractDollars:0} per contract exceeds ${allowed:0} ({_maxRiskPerTradePct}% of equity)"));
        }

        var approved = violations.Count == 0;
        return new RiskAssessment
        {
            Approved = approved,
            Contracts = approved ? contracts : 0,
            Violations = violations,
            Summary = approved
                ? string.Create(CultureInfo.InvariantCulture, $"approved {contracts} contract(s): max loss ${proposal.MaxLossPerContractDollars * contracts:0} within ${allowed:0}{(marketOpen ? string.Empty : " (market closed)")}")
                : "rejected: " + string.Join("; ", violations),
        };
    }
}
