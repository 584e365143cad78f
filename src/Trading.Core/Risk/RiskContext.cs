using Trading.Core.Condors;
using Trading.Core.Markets;

namespace Trading.Core.Risk;

/// <summary>An open condor as the risk manager sees it: its expiration and its total max loss in dollars (all contracts).</summary>
public sealed record OpenCondorRisk(string PositionId, DateOnly Expiration, decimal MaxLossDollars);

/// <summary>Everything the risk manager needs for one decision; it reads nothing else (no clock, no I/O).</summary>
public sealed record RiskContext
{
    public required BrokerAccount Account { get; init; }

    /// <summary>The proposed condor (per-contract figures).</summary>
    public required IronCondor Condor { get; init; }

    public IReadOnlyList<OpenCondorRisk> OpenCondors { get; init; } = [];

    /// <summary>Condors opened so far today (market time zone).</summary>
    public int NewCondorsToday { get; init; }

    public required decimal StartOfDayEquity { get; init; }

    /// <summary>Highest equity recorded (for the drawdown rule).</summary>
    public required decimal PeakEquity { get; init; }

    /// <summary>The 30-day at-the-money implied volatility proxy in percent; null when it could not be computed (refused).</summary>
    public decimal? VolatilityProxyPct { get; init; }

    /// <summary>
    /// Implied-volatility rank in percent (0–100) of the 30-day at-the-money implied volatility over the stored daily history;
    /// null when it is not known (too little history).
    /// </summary>
    public decimal? IvRankPct { get; init; }

    /// <summary>Days of implied-volatility history the rank was computed from.</summary>
    public int IvHistoryDays { get; init; }

    /// <summary>
    /// The debit to close (per share) at which the stop-loss would fire for this condor at its mid credit; null when no stop
    /// is configured. A stop at or beyond the wing width can never fire.
    /// </summary>
    public decimal? StopLossDebit { get; init; }

    public DateTimeOffset? LastStopOutAt { get; init; }

    /// <summary>Orders placed in the hour before <see cref="Now"/>.</summary>
    public int TradesInLastHour { get; init; }

    public bool HaltSwitchOn { get; init; }

    public string? HaltReason { get; init; }

    public required bool MarketOpen { get; init; }

    /// <summary>The decision instant (converted to the market time zone for the entry window).</summary>
    public required DateTimeOffset Now { get; init; }
}
