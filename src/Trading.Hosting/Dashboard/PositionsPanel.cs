using Trading.Core.Exits;
using Trading.Core.Markets;
using Trading.Pipeline.Activities;
using Trading.Pipeline.State;

namespace Trading.Hosting.Dashboard;

/// <summary>One leg of a held condor.</summary>
public sealed record CondorLegView(string Symbol, string Right, decimal Strike, string Side);

/// <summary>One open (or opening, or closing) condor with its marks and exit levels.</summary>
/// <param name="PositionId">The opening order's client order id.</param>
/// <param name="State">opening, open or closing.</param>
/// <param name="Variant">Strategy variant.</param>
/// <param name="Expiration">Expiration date.</param>
/// <param name="Contracts">Contracts still open.</param>
/// <param name="Legs">The four legs.</param>
/// <param name="EntryCredit">Credit per share received (the limit while the order is working).</param>
/// <param name="CurrentDebit">Debit per share to close at the broker's marks (null while opening or without marks).</param>
/// <param name="UnrealizedPnlDollars">P&amp;L at the broker's marks (null while opening).</param>
/// <param name="ShortPutStrike">Short put strike.</param>
/// <param name="ShortCallStrike">Short call strike.</param>
/// <param name="LongPutStrike">Long put strike.</param>
/// <param name="LongCallStrike">Long call strike.</param>
/// <param name="DistanceToShortPut">Underlying − short put (dollars; negative: breached).</param>
/// <param name="DistanceToShortCall">Short call − underlying (dollars; negative: breached).</param>
/// <param name="TakeProfitDebit">Closing at or below this debit takes the profit.</param>
/// <param name="StopDebit">Closing at or above this debit stops the loss.</param>
/// <param name="TimeExitDate">The day the time exit applies (expiration − <c>Exit:ExitAtDte</c> days).</param>
/// <param name="OpenedUtc">When the opening order was placed.</param>
/// <param name="Alert">Something to look at, or null.</param>
public sealed record CondorView(
    string PositionId, string State, string Variant, DateOnly Expiration, int Contracts, IReadOnlyList<CondorLegView> Legs,
    decimal EntryCredit, decimal? CurrentDebit, decimal? UnrealizedPnlDollars,
    decimal? ShortPutStrike, decimal? ShortCallStrike, decimal? LongPutStrike, decimal? LongCallStrike,
    decimal? DistanceToShortPut, decimal? DistanceToShortCall, decimal TakeProfitDebit, decimal StopDebit, DateOnly TimeExitDate,
    DateTimeOffset OpenedUtc, string? Alert);

/// <summary>The positions panel: the underlying's price and each active condor.</summary>
/// <param name="AsOfUtc">When it was built.</param>
/// <param name="Symbol">The underlying.</param>
/// <param name="UnderlyingPrice">Its mid price (null when the quote could not be read).</param>
/// <param name="QuoteError">Why there is no price, when there is none.</param>
/// <param name="TakeProfitPct">Exit rule: take profit at this % of the credit.</param>
/// <param name="StopLossPct">Exit rule: stop at a loss of this % of the credit.</param>
/// <param name="ExitAtDte">Exit rule: close at this many days to expiration.</param>
/// <param name="Positions">Active condors, oldest first.</param>
public sealed record PositionsPanel(
    DateTimeOffset AsOfUtc, string Symbol, decimal? UnderlyingPrice, string? QuoteError, decimal TakeProfitPct, decimal StopLossPct, int ExitAtDte,
    IReadOnlyList<CondorView> Positions);

/// <summary>Builds <see cref="PositionsPanel"/> from the position book, the broker's marks, the quote and the exit rules.</summary>
public sealed class PositionsQuery
{
    private readonly PositionBook _positions;
    private readonly IBroker _broker;
    private readonly IMarketData _market;
    private readonly ExitRules _exit;
    private readonly PipelineOptions _pipeline;
    private readonly TimeProvider _time;

    public PositionsQuery(PositionBook positions, IBroker broker, IMarketData market, ExitRules exit, PipelineOptions pipeline, TimeProvider time)
    {
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _exit = exit ?? throw new ArgumentNullException(nameof(exit));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The panel now. A quote that cannot be read leaves the price empty and says why; the rest still shows.</summary>
    public async Task<PositionsPanel> ReadAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var active = (await _positions.ActiveAsync(cancellationToken)).OrderBy(p => p.OpenedUtc).ToArray();
        var held = (await _broker.GetPositionsAsync(cancellationToken)).ToDictionary(p => p.Symbol.ToString(), StringComparer.Ordinal);
        decimal? price = null;
        string? quoteError = null;
        try
        {
            price = (await _market.GetQuoteAsync(_pipeline.Symbol, cancellationToken)).Mid;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            quoteError = $"{_pipeline.Symbol} quote unavailable: {e.GetType().Name}: {e.Message.Split('\n', 2)[0]}";
        }

        return new PositionsPanel(now, _pipeline.Symbol, price, quoteError, _exit.TakeProfitPct, _exit.StopLossPct, _exit.ExitAtDte,
            [.. active.Select(p => View(p, held, price))]);
    }

    private CondorView View(PositionRecord p, IReadOnlyDictionary<string, BrokerPosition> held, decimal? price)
    {
        var credit = p.EntryCredit ?? p.LimitCredit;
        var opening = p.State == PositionStates.Opening;
        var marks = p.Legs.Select(l => held.GetValueOrDefault(l.Symbol)).ToArray();
        var contracts = p.OpenContracts;
        decimal? debit = opening || contracts <= 0 || marks.Any(m => m is null)
            ? null
            : decimal.Round(-marks.Sum(m => m!.MarketValue) / (100m * contracts), 4);
        decimal? Strike(string right, string side) =>
            p.Legs.FirstOrDefault(l => string.Equals(l.Right, right, StringComparison.OrdinalIgnoreCase) && string.Equals(l.Side, side, StringComparison.OrdinalIgnoreCase))?.Strike;
        var shortPut = Strike("put", "sell");
        var shortCall = Strike("call", "sell");
        return new CondorView(
            p.PositionId, p.State, p.Variant, p.Expiration, contracts,
            [.. p.Legs.Select(l => new CondorLegView(l.Symbol, l.Right, l.Strike, l.Side))],
            credit, debit, opening ? null : marks.Sum(m => m?.UnrealizedPnl ?? 0m),
            shortPut, shortCall, Strike("put", "buy"), Strike("call", "buy"),
            price is { } u && shortPut is { } sp ? u - sp : null,
            price is { } v && shortCall is { } sc ? sc - v : null,
            decimal.Round(credit * (1 - (_exit.TakeProfitPct / 100m)), 4), decimal.Round(_exit.StopDebit(credit), 4),
            p.Expiration.AddDays(-_exit.ExitAtDte), p.OpenedUtc, p.Alert);
    }
}
