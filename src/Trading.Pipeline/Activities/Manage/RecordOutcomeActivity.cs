using System.Globalization;
using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Core.Risk;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Manage;

/// <summary>RecordOutcome: writes the closed trade to trade memory once (keyed by position) and refreshes the variant's sampler arm.</summary>
public sealed class RecordOutcomeActivity : PipelineActivity<PositionInput, OutcomeResult>
{
    private readonly PositionBook _positions;
    private readonly TradeMemoryStore _memory;
    private readonly string _strategy;
    private readonly TimeProvider _time;

    public RecordOutcomeActivity(PositionBook positions, TradeMemoryStore memory, PipelineOptions options, TimeProvider time)
        : base(ActivityNames.RecordOutcome)
    {
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _strategy = (options ?? throw new ArgumentNullException(nameof(options))).Strategy;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public override async Task<OutcomeResult> RunAsync(PositionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entry = await _positions.GetAsync(input.PositionId, cancellationToken)
            ?? throw new InvalidOperationException($"Position {input.PositionId} is not in the book.");
        var position = entry.Value;
        var credit = position.EntryCredit ?? position.LimitCredit;
        var debit = position.ExitDebit ?? throw new InvalidOperationException($"Position {position.PositionId} has no exit price yet.");
        var pnl = decimal.Round((credit - debit) * 100m * position.Contracts, 2);
        var closedAt = position.ClosedUtc ?? _time.GetUtcNow();
        var opened = position.EntryFilledUtc ?? position.OpenedUtc;
        var outcome = new TradeOutcome(
            position.PositionId,
            position.Symbol,
            position.Variant,
            position.EntryReason,
            Enum.TryParse<MarketRegime>(position.EntryRegime, out var regime) ? regime : MarketRegime.Calm,
            Enum.TryParse<VolatilityBand>(position.EntryVolatilityBand, out var band) ? band : VolatilityBand.FullSize,
            position.EntryDte,
            position.ShortDelta,
            position.WingWidthDollars,
            Trading.Markets.Calendar.EasternTime.ToEastern(opened).DayOfWeek,
            credit,
            debit,
            pnl,
            pnl > 0,
            closedAt,
            position.ExitReason ?? string.Empty);
        var recorded = await _memory.RecordAsync(position.Strategy.Length > 0 ? position.Strategy : _strategy, outcome, cancellationToken);
        if (position.State != PositionStates.Closed)
        {
            await _positions.SaveAsync(position with { State = PositionStates.Closed, RealizedPnlDollars = pnl, ClosedUtc = closedAt }, entry.ETag, cancellationToken);
        }

        return new OutcomeResult
        {
            PositionId = position.PositionId,
            NewlyRecorded = recorded,
            PnlDollars = pnl,
            Won = pnl > 0,
            Variant = position.Variant,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{position.ExitReason}: credit {credit:0.00} − debit {debit:0.00} = ${pnl:0.00} on {position.Variant}{(recorded ? string.Empty : " (already recorded; not counted again)")}"),
        };
    }
}
