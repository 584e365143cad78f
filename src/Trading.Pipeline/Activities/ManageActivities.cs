using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Exits;
using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Core.Risk;
using Trading.Core.Strategy;
using Trading.Core.Options;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities;

/// <summary>Position management's activities: reconcile orders, apply exit rules, close, record outcomes once.</summary>
public sealed class ManageActivities
{
    private readonly IMarketData _market;
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly TradeMemoryStore _memory;
    private readonly ExitRules _exit;
    private readonly string _strategy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ManageActivities(
        IMarketData market, IBroker broker, PipelineTables tables, ExitRules exit, SamplerSettings sampler, PipelineOptions options, TimeProvider time,
        ILogger<ManageActivities>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = new PositionBook(tables);
        _memory = new TradeMemoryStore(tables, sampler ?? throw new ArgumentNullException(nameof(sampler)));
        _strategy = (options ?? throw new ArgumentNullException(nameof(options))).Strategy;
        _exit = exit ?? throw new ArgumentNullException(nameof(exit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>LoadOpenPositions: ids of positions still opening, open or closing.</summary>
    public async Task<OpenPositions> LoadOpenPositionsAsync(RunRequest run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var active = await _positions.ActiveAsync(cancellationToken);
        return new OpenPositions
        {
            PositionIds = active.OrderBy(p => p.OpenedUtc).Select(p => p.PositionId).ToArray(),
            MarketSimulated = _market.IsSimulated,
            BrokerSimulated = _broker.IsSimulated,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{active.Count} active condor(s){(_broker.IsSimulated ? " [SIMULATED broker]" : string.Empty)}"),
        };
    }

    /// <summary>EvaluateExit: reconcile the position's orders, then apply profit target, stop loss, time exit and expiry.</summary>
    public async Task<ExitEvaluation> EvaluateExitAsync(PositionInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var entry = await _positions.GetAsync(input.PositionId, cancellationToken)
            ?? throw new InvalidOperationException($"Position {input.PositionId} is not in the book.");
        var position = entry.Value;
        var etag = entry.ETag;
        var result = new ExitEvaluation { PositionId = position.PositionId };
        var now = _time.GetUtcNow();

        if (position.State == PositionStates.Opening)
        {
            var order = await _broker.GetOrderByClientIdAsync(position.PositionId, cancellationToken);
            if (order is { Status: OrderStatus.Filled })
            {
                position = position with { State = PositionStates.Open, EntryCredit = -(order.FilledAveragePrice ?? -position.LimitCredit), EntryFilledUtc = order.FilledAt ?? now };
                etag = await SaveAsync(position, etag, cancellationToken);
            }
            else if (order is null || order.IsTerminal)
            {
                await SaveAsync(position with { State = PositionStates.Abandoned, ClosedUtc = now }, etag, cancellationToken);
                return result with { Action = ExitActions.Abandoned, Summary = $"opening order {order?.Status.ToString() ?? "missing"}: never filled, dropped" };
            }
            else
            {
                return result with { Action = ExitActions.Waiting, Summary = $"opening order {order.Status}" };
            }
        }

        if (position.State == PositionStates.Closing)
        {
            var close = position.CloseClientOrderId is null ? null : await _broker.GetOrderByClientIdAsync(position.CloseClientOrderId, cancellationToken);
            if (close is { Status: OrderStatus.Filled })
            {
                await SaveAsync(position with { ExitDebit = close.FilledAveragePrice ?? 0m, ClosedUtc = close.FilledAt ?? now }, etag, cancellationToken);
                return result with { Action = ExitActions.Settled, ExitReason = position.ExitReason ?? string.Empty, Summary = $"closing order filled at {close.FilledAveragePrice}" };
            }

            if (close is not null && !close.IsTerminal)
            {
                return result with { Action = ExitActions.Waiting, Summary = $"closing order {close.Status}" };
            }

            // The closing order ended unfilled (a day order expires): the position is open again and is re-evaluated.
            position = position with { State = PositionStates.Open };
            etag = await SaveAsync(position, etag, cancellationToken);
        }

        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        if (today > position.Expiration)
        {
            // Settled at the expiration day's close (the last quote when that bar is missing).
            var bars = await _market.GetDailyBarsAsync(position.Symbol, position.Expiration, position.Expiration, cancellationToken);
            var close = bars.Count > 0 ? bars[^1].Close : (await _market.GetQuoteAsync(position.Symbol, cancellationToken)).Last;
            var settlement = SettlementDebit(position, close);
            await SaveAsync(position with { State = PositionStates.Closing, ExitReason = "expired", ExitDebit = settlement, ClosedUtc = now }, etag, cancellationToken);
            return result with { Action = ExitActions.Settled, ExitReason = "expired", Summary = string.Create(CultureInfo.InvariantCulture, $"expired; settlement {settlement:0.00} at {close:0.00}") };
        }

        var chain = await _market.GetOptionChainAsync(position.Symbol, position.Expiration, position.Expiration, cancellationToken);
        var quotes = chain.ForExpiration(position.Expiration).ToDictionary(o => o.Symbol.ToString(), o => o.Quote, StringComparer.Ordinal);
        if (position.Legs.Any(l => !quotes.ContainsKey(l.Symbol)))
        {
            return result with { Action = ExitActions.Hold, Summary = "no quotes for every leg; holding" };
        }

        decimal Sum(Func<ProposalLeg, OptionQuote, decimal> price) => position.Legs.Sum(l => price(l, quotes[l.Symbol]));
        var midDebit = Sum((l, q) => l.Side == "sell" ? q.Mid : -q.Mid);
        var naturalDebit = Sum((l, q) => l.Side == "sell" ? q.Ask : -q.Bid);
        var credit = position.EntryCredit ?? position.LimitCredit;
        var dte = position.Expiration.DayNumber - today.DayNumber;
        var quote = await _market.GetQuoteAsync(position.Symbol, cancellationToken);
        var shortPut = position.Legs.Where(l => l.Right == "put" && l.Side == "sell").Select(l => l.Strike).FirstOrDefault();
        var shortCall = position.Legs.Where(l => l.Right == "call" && l.Side == "sell").Select(l => l.Strike).FirstOrDefault();
        var signal = _exit.Evaluate(
            new CondorPosition(position.PositionId, position.Expiration, shortPut, shortCall, credit, midDebit, naturalDebit, position.EntryFilledUtc ?? position.OpenedUtc),
            quote.Mid,
            now);
        var status = string.Create(CultureInfo.InvariantCulture, $"credit {credit:0.00}, debit to close {midDebit:0.00} (natural {naturalDebit:0.00}), {dte} DTE, {position.Symbol} {quote.Mid:0.00}");
        if (signal is null)
        {
            return result with { Action = ExitActions.Hold, Summary = $"hold: {status}" };
        }

        var reason = signal.Reason.ToString();
        var limit = Math.Min(position.WingWidthDollars, decimal.Round(Math.Max(naturalDebit, 0.01m), 2, MidpointRounding.AwayFromZero));
        return result with { Action = ExitActions.Close, ExitReason = reason, DebitLimit = limit, Summary = $"{reason}: {signal.Message}; {status}" };
    }

    /// <summary>ClosePosition: one multi-leg closing order; idempotent by a client order id derived from the position and attempt.</summary>
    public async Task<CloseResult> ClosePositionAsync(CloseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = await _positions.GetAsync(request.PositionId, cancellationToken)
            ?? throw new InvalidOperationException($"Position {request.PositionId} is not in the book.");
        var position = entry.Value;
        var attempt = position.State == PositionStates.Closing && position.CloseClientOrderId is not null
            ? AttemptOf(position.CloseClientOrderId)
            : (position.CloseClientOrderId is null ? 1 : AttemptOf(position.CloseClientOrderId) + 1);
        var clientOrderId = ClientOrderIds.Exit(position.PositionId, attempt);
        BrokerOrder order;
        try
        {
            order = await _broker.GetOrderByClientIdAsync(clientOrderId, cancellationToken)
                ?? await _broker.PlaceOrderAsync(
                    MultiLegOrder.CloseForDebit(clientOrderId, position.Contracts, request.DebitLimit, ProposalMapping.ClosingLegs(position.Legs)), cancellationToken);
        }
        catch (OrderRejectedException e)
        {
            return new CloseResult { PositionId = position.PositionId, Placed = false, ClientOrderId = clientOrderId, Status = "rejected", Summary = $"close rejected ({e.Reason}): {e.Message}" };
        }

        var filled = order.Status == OrderStatus.Filled;
        var now = _time.GetUtcNow();
        await SaveAsync(position with
        {
            State = PositionStates.Closing,
            CloseClientOrderId = clientOrderId,
            CloseOrderId = order.OrderId,
            ExitReason = request.ExitReason,
            ExitDebit = filled ? order.FilledAveragePrice : null,
            ClosedUtc = filled ? order.FilledAt ?? now : null,
        }, entry.ETag, cancellationToken);
        return new CloseResult
        {
            PositionId = position.PositionId,
            Placed = true,
            Filled = filled,
            ClientOrderId = clientOrderId,
            OrderId = order.OrderId,
            Status = order.Status.ToString(),
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"closing order {order.OrderId} ({request.ExitReason}) at most {request.DebitLimit:0.00} debit: {order.Status}{(filled ? $" at {order.FilledAveragePrice:0.00}" : string.Empty)}"),
        };
    }

    /// <summary>RecordOutcome: writes the closed trade to trade memory once (keyed by position) and refreshes the variant's sampler arm.</summary>
    public async Task<OutcomeResult> RecordOutcomeAsync(PositionInput input, CancellationToken cancellationToken)
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
            await SaveAsync(position with { State = PositionStates.Closed, RealizedPnlDollars = pnl, ClosedUtc = closedAt }, entry.ETag, cancellationToken);
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

    /// <summary>What the condor is worth to close at expiry: intrinsic value of the shorts minus the longs, per share.</summary>
    public static decimal SettlementDebit(PositionRecord position, decimal underlyingPrice)
    {
        ArgumentNullException.ThrowIfNull(position);
        decimal Intrinsic(ProposalLeg leg) => leg.Right == "call" ? Math.Max(0, underlyingPrice - leg.Strike) : Math.Max(0, leg.Strike - underlyingPrice);
        return decimal.Round(position.Legs.Sum(l => l.Side == "sell" ? Intrinsic(l) : -Intrinsic(l)), 2);
    }

    private static int AttemptOf(string closeClientOrderId)
    {
        var dash = closeClientOrderId.IndexOf('-', StringComparison.Ordinal);
        return dash > 1 && int.TryParse(closeClientOrderId.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
    }

    private async Task<string> SaveAsync(PositionRecord position, string etag, CancellationToken cancellationToken)
    {
        if (!await _positions.TryUpdateAsync(position, etag, cancellationToken))
        {
            // Another writer changed the position since it was read: fail the attempt; the retry re-reads it.
            throw new InvalidOperationException($"Position {position.PositionId} changed concurrently; retrying.");
        }

        var reread = await _positions.GetAsync(position.PositionId, cancellationToken);
        return reread?.ETag ?? etag;
    }
}
