using Trading.Core.Markets;
using Trading.Core.Options;

namespace Trading.Core.Condors;

/// <summary>One leg of an iron condor: the contract, whether it is bought or sold, its quote and absolute delta at build time (0 when unknown, never NaN, so it serializes).</summary>
public sealed record CondorLeg(OccSymbol Symbol, OrderSide Side, OptionQuote Quote, double Delta)
{
    public decimal Strike => Symbol.Strike;
}

/// <summary>
/// A short iron condor: long put &lt; short put &lt; short call &lt; long call, one expiration. Figures are per contract
/// (quantity is the risk manager's decision) and per share unless the name says PerContract (× 100 shares).
/// </summary>
public sealed record IronCondor(
    string Underlying,
    DateOnly Expiration,
    int DaysToExpiration,
    decimal UnderlyingPrice,
    CondorLeg LongPut,
    CondorLeg ShortPut,
    CondorLeg ShortCall,
    CondorLeg LongCall,
    double ProbabilityOfProfit)
{
    /// <summary>Shares per contract.</summary>
    public const int Multiplier = 100;

    /// <summary>The four legs, lowest strike first.</summary>
    public IReadOnlyList<CondorLeg> Legs => [LongPut, ShortPut, ShortCall, LongCall];

    public decimal PutWidthDollars => ShortPut.Strike - LongPut.Strike;

    public decimal CallWidthDollars => LongCall.Strike - ShortCall.Strike;

    /// <summary>The wider of the two wings: only one side can finish in the money, so it bounds the loss.</summary>
    public decimal WidthDollars => Math.Max(PutWidthDollars, CallWidthDollars);

    /// <summary>Net credit at the legs' mids (per share): what a patient limit order expects.</summary>
    public decimal NetCreditMid => ShortPut.Quote.Mid + ShortCall.Quote.Mid - LongPut.Quote.Mid - LongCall.Quote.Mid;

    /// <summary>Net credit at the natural price (sell at bids, buy at asks): what crossing the spread gets.</summary>
    public decimal NetCreditNatural => ShortPut.Quote.Bid + ShortCall.Quote.Bid - LongPut.Quote.Ask - LongCall.Quote.Ask;

    /// <summary>Sum of the legs' bid–ask spreads (per share), which equals NetCreditMid − NetCreditNatural times two.</summary>
    public decimal NetSpread => Legs.Sum(l => l.Quote.Spread);

    /// <summary>Max loss per contract in dollars at the mid credit: (width − credit) × 100.</summary>
    public decimal MaxLossPerContract => (WidthDollars - NetCreditMid) * Multiplier;

    /// <summary>Max loss per contract in dollars if filled at the natural credit.</summary>
    public decimal MaxLossAtNaturalPerContract => (WidthDollars - NetCreditNatural) * Multiplier;

    /// <summary>Max profit per contract in dollars (the mid credit kept).</summary>
    public decimal MaxProfitPerContract => NetCreditMid * Multiplier;

    public decimal LowerBreakeven => ShortPut.Strike - NetCreditMid;

    public decimal UpperBreakeven => ShortCall.Strike + NetCreditMid;

    /// <summary>Credit ÷ max loss at mid (0.25 = 25%).</summary>
    public decimal ReturnOnRisk => MaxLossPerContract > 0 ? MaxProfitPerContract / MaxLossPerContract : 0m;

    /// <summary>
    /// The legs as order legs for opening (sell the shorts, buy the wings). For closing use <see cref="ClosingOrderLegs"/>.
    /// </summary>
    public IReadOnlyList<OrderLeg> OpeningOrderLegs() =>
        Legs.Select(l => new OrderLeg(l.Symbol, l.Side, l.Side == OrderSide.Sell ? PositionIntent.SellToOpen : PositionIntent.BuyToOpen)).ToArray();

    /// <summary>The legs reversed for closing (buy back the shorts, sell the wings).</summary>
    public IReadOnlyList<OrderLeg> ClosingOrderLegs() =>
        Legs.Select(l => l.Side == OrderSide.Sell
            ? new OrderLeg(l.Symbol, OrderSide.Buy, PositionIntent.BuyToClose)
            : new OrderLeg(l.Symbol, OrderSide.Sell, PositionIntent.SellToClose)).ToArray();
}
