using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Condors;
using Trading.Core.Exits;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Manage;

/// <summary>EvaluateExit: reconcile the position's orders, then apply profit target, stop loss, time exit and expiry.</summary>
public sealed class EvaluateExitActivity : PipelineActivity<PositionInput, ExitEvaluation>
{
    private readonly IMarketData _market;
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly ExitRules _exit;
    private readonly CondorSettings _condor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public EvaluateExitActivity(IMarketData market, IBroker broker, PositionBook positions, ExitRules exit, CondorSettings condor, TimeProvider time, ILogger<EvaluateExitActivity>? logger = null)
        : base(ActivityNames.EvaluateExit)
    {
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _exit = exit ?? throw new ArgumentNullException(nameof(exit));
        _condor = condor ?? throw new ArgumentNullException(nameof(condor));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public override async Task<ExitEvaluation> RunAsync(PositionInput input, CancellationToken cancellationToken)
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
            if (order is { FilledQuantity: > 0 } && (order.Status == OrderStatus.Filled || order.IsTerminal))
            {
                // Filled, or partly filled before the day order ended: the position is what filled.
                var fill = MultiLegFill.Credit(order, position.LimitCredit, position.WingWidthDollars);
                position = position with
                {
                    State = PositionStates.Open,
                    Contracts = order.FilledQuantity,
                    EntryCredit = fill.Booked,
                    EntryFilledUtc = order.FilledAt ?? now,
                    Alert = fill.Problem is null ? position.Alert : "entry fill: " + fill.Problem,
                };
                etag = await _positions.SaveAsync(position, etag, cancellationToken);
                if (fill.Problem is not null)
                {
                    _logger.LogWarning("Position {PositionId}: inconsistent entry fill: {Problem}", position.PositionId, fill.Problem);
                }
            }
            else if (order is null || order.IsTerminal)
            {
                await _positions.SaveAsync(position with { State = PositionStates.Abandoned, ClosedUtc = now }, etag, cancellationToken);
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
                var fill = ClosingFill(close, position);
                await _positions.SaveAsync(position with
                {
                    ExitDebit = position.AverageExitDebit(fill.Booked),
                    ClosedUtc = close.FilledAt ?? now,
                    Alert = fill.Problem is null ? position.Alert : "exit fill: " + fill.Problem,
                }, etag, cancellationToken);
                return result with
                {
                    Action = ExitActions.Settled,
                    ExitReason = position.ExitReason ?? string.Empty,
                    Summary = string.Create(CultureInfo.InvariantCulture, $"closing order filled at {fill.Booked:0.00}{(fill.Problem is null ? string.Empty : $"; ALERT: {fill.Problem}")}"),
                };
            }

            if (close is not null && !close.IsTerminal)
            {
                return result with { Action = ExitActions.Waiting, Summary = $"closing order {close.Status}" };
            }

            // The closing order ended unfilled or in part (a day order expires): what filled is closed, the rest is open again
            // and is re-evaluated.
            var partly = close is { FilledQuantity: > 0 }
                ? ClosingFill(close, position).Booked
                : 0m;
            position = position with
            {
                State = PositionStates.Open,
                ClosedContracts = position.ClosedContracts + (close?.FilledQuantity ?? 0),
                ClosedDebitTotal = position.ClosedDebitTotal + (partly * (close?.FilledQuantity ?? 0)),
            };
            etag = await _positions.SaveAsync(position, etag, cancellationToken);
        }

        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        if (today > position.Expiration)
        {
            return await SettleAfterExpiryAsync(position, etag, result, now, cancellationToken);
        }

        // The rules that need no option quote (expiration day, short strike breached, time exit) run whatever the chain holds;
        // a leg the chain does not quote is priced from the chain's volatility smile, and said so.
        var quote = await _market.GetQuoteAsync(position.Symbol, cancellationToken);
        var chain = await _market.GetOptionChainAsync(position.Symbol, position.Expiration, position.Expiration, cancellationToken);
        var debits = DebitsToClose(position, chain);
        var credit = position.EntryCredit ?? position.LimitCredit;
        var dte = position.Expiration.DayNumber - today.DayNumber;
        var shortPut = position.Legs.Where(l => l.Right == "put" && l.Side == "sell").Select(l => l.Strike).FirstOrDefault();
        var shortCall = position.Legs.Where(l => l.Right == "call" && l.Side == "sell").Select(l => l.Strike).FirstOrDefault();
        var signal = _exit.Evaluate(
            new CondorPosition(position.PositionId, position.Expiration, shortPut, shortCall, credit, debits?.Mid, debits?.Natural, position.EntryFilledUtc ?? position.OpenedUtc),
            quote.Mid,
            now);
        var priced = debits is null
            ? "debit to close unknown (no leg quote and no volatility to price one)"
            : string.Create(CultureInfo.InvariantCulture, $"debit to close {debits.Mid:0.00} (natural {debits.Natural:0.00}){debits.Note}");
        var status = string.Create(CultureInfo.InvariantCulture, $"credit {credit:0.00}, {priced}, {dte} DTE, {position.Symbol} {quote.Mid:0.00}");
        if (signal is null)
        {
            return result with { Action = ExitActions.Hold, Summary = $"hold: {status}" };
        }

        // A limit a little above the natural price so that an exit fills; without a price at all, the most a condor can cost.
        var reason = signal.Reason.ToString();
        var limit = debits is null
            ? position.WingWidthDollars
            : Math.Min(position.WingWidthDollars, decimal.Round(Math.Max(debits.Natural + _exit.CloseLimitAboveNaturalDollars, 0.01m), 2, MidpointRounding.AwayFromZero));
        return result with { Action = ExitActions.Close, ExitReason = reason, DebitLimit = limit, Summary = $"{reason}: {signal.Message}; {status}" };
    }

    /// <summary>The exit reason of a condor held past its expiration and settled by exercise and assignment.</summary>
    public const string AssignedExit = "Assigned";

    /// <summary>The condor's debit to close at mid and natural, pricing unquoted legs from the smile; null when a leg cannot be priced.</summary>
    private ClosingDebits? DebitsToClose(PositionRecord position, OptionChain chain)
    {
        var quotes = chain.ForExpiration(position.Expiration).ToDictionary(o => o.Symbol, o => o.Quote);
        var modelled = new List<string>();
        decimal mid = 0, natural = 0;
        foreach (var leg in position.Legs)
        {
            var known = OccSymbol.TryParse(leg.Symbol, out var symbol);
            if (!known || !quotes.TryGetValue(symbol, out var q))
            {
                var model = known ? VolatilitySmile.ModelQuote(chain, symbol, _condor.RiskFreeRatePct / 100, _condor.DividendYieldPct / 100) : null;
                if (model is not { } m)
                {
                    return null;
                }

                q = m;
                modelled.Add(leg.Symbol);
            }

            mid += leg.Side == "sell" ? q.Mid : -q.Mid;
            natural += leg.Side == "sell" ? q.Ask : -q.Bid;
        }

        var note = modelled.Count == 0 ? string.Empty : $"; no quote for {string.Join(", ", modelled)}: priced from the volatility smile";
        return new ClosingDebits(mid, natural, note);
    }

    /// <summary>
    /// A condor still open after its expiration (a close that failed): SPY options are physically settled, so the legs in the
    /// money at the expiration close became shares, liquidated at the next session's open. The simulated broker books exactly
    /// that; with a live broker the figure is an estimate and the position carries an alert to check the account.
    /// </summary>
    private async Task<ExitEvaluation> SettleAfterExpiryAsync(PositionRecord position, string etag, ExitEvaluation result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bars = await _market.GetDailyBarsAsync(position.Symbol, position.Expiration, Trading.Markets.Calendar.EasternTime.DateOf(now), cancellationToken);
        var expiryBar = bars.LastOrDefault(b => Trading.Markets.Calendar.EasternTime.DateOf(b.Time) <= position.Expiration);
        var nextBar = bars.FirstOrDefault(b => Trading.Markets.Calendar.EasternTime.DateOf(b.Time) > position.Expiration);
        var today = Trading.Markets.Calendar.EasternTime.DateOf(now);
        if (nextBar is null && today.DayNumber - position.Expiration.DayNumber <= 4)
        {
            // The shares are valued at the next session's open, known once that session's bar is complete.
            return result with
            {
                Action = ExitActions.Waiting,
                Summary = string.Create(CultureInfo.InvariantCulture,
                    $"ALERT: held past expiration {position.Expiration:yyyy-MM-dd}; assigned legs are valued once the next session's bar is complete"),
            };
        }

        var last = (await _market.GetQuoteAsync(position.Symbol, cancellationToken)).Last;
        var close = expiryBar?.Close ?? last;
        var liquidation = nextBar?.Open ?? last;
        var settlement = AssignmentDebit(position, close, liquidation);
        var alert = string.Create(CultureInfo.InvariantCulture,
            $"held past expiration {position.Expiration:yyyy-MM-dd} (a close failed): legs in the money at the {close:0.00} close were exercised or assigned; shares valued at {liquidation:0.00}{(_broker.IsSimulated ? string.Empty : " — check the broker account for assigned shares and close them")}");
        await _positions.SaveAsync(position with { State = PositionStates.Closing, ExitReason = AssignedExit, ExitDebit = position.AverageExitDebit(settlement), ClosedUtc = now, Alert = alert }, etag, cancellationToken);
        _logger.LogWarning("Position {PositionId}: {Alert}", position.PositionId, alert);
        return result with
        {
            Action = ExitActions.Settled,
            ExitReason = AssignedExit,
            Summary = string.Create(CultureInfo.InvariantCulture, $"ALERT: {alert}; settlement debit {settlement:0.00}"),
        };
    }

    /// <summary>
    /// What the condor cost to unwind after expiry, per share: each leg in the money at <paramref name="expirationClose"/> became
    /// shares, valued at <paramref name="liquidationPrice"/> (physical settlement; see <see cref="PhysicalSettlement"/>).
    /// </summary>
    public static decimal AssignmentDebit(PositionRecord position, decimal expirationClose, decimal liquidationPrice)
    {
        ArgumentNullException.ThrowIfNull(position);
        decimal Value(ProposalLeg leg) => PhysicalSettlement.ValuePerShare(
            leg.Right == "call" ? OptionRight.Call : OptionRight.Put, leg.Strike, expirationClose, liquidationPrice);
        return decimal.Round(position.Legs.Sum(l => l.Side == "sell" ? Value(l) : -Value(l)), 2);
    }

    /// <summary>What a closing order paid, read against the limit it was sent with (the most a condor can cost when unknown).</summary>
    private static FillReading ClosingFill(BrokerOrder close, PositionRecord position) =>
        MultiLegFill.Debit(close, close.LimitPrice is { } limit ? Math.Abs(limit) : position.WingWidthDollars, position.WingWidthDollars);

    private sealed record ClosingDebits(decimal Mid, decimal Natural, string Note);
}
