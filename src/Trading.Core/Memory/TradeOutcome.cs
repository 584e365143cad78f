using Trading.Core.Markets;
using Trading.Core.Risk;

namespace Trading.Core.Memory;

/// <summary>
/// One closed trade with the features later trades are matched on. Money in dollars: credit and debit per share,
/// <see cref="Pnl"/> for the whole position.
/// </summary>
public sealed record TradeOutcome(
    string PositionId,
    string Symbol,
    string StrategyVariantId,
    string EntryReason,
    MarketRegime Regime,
    VolatilityBand VolatilityBand,
    int Dte,
    double ShortDelta,
    decimal WingWidthDollars,
    DayOfWeek Weekday,
    decimal EntryCredit,
    decimal ExitDebit,
    decimal Pnl,
    bool Won,
    DateTimeOffset ClosedAt,
    string ExitReason);
