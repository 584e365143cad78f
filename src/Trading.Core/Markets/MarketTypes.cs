using Trading.Core.Options;

namespace Trading.Core.Markets;

/// <summary>The latest price of the underlying.</summary>
public sealed record UnderlyingQuote(string Symbol, decimal Bid, decimal Ask, decimal Last, DateTimeOffset Timestamp)
{
    public decimal Mid => Bid > 0 && Ask > 0 ? (Bid + Ask) / 2m : Last;
}

/// <summary>A daily bar.</summary>
public sealed record PriceBar(DateTimeOffset Time, decimal Open, decimal High, decimal Low, decimal Close, long Volume);

/// <summary>The market clock (Alpaca <c>GET /v2/clock</c>).</summary>
public sealed record MarketClock(DateTimeOffset Timestamp, bool IsOpen, DateTimeOffset NextOpen, DateTimeOffset NextClose);

/// <summary>One trading session (Alpaca <c>GET /v2/calendar</c>); open and close in exchange time (America/New_York).</summary>
public sealed record TradingSession(DateOnly Date, TimeOnly Open, TimeOnly Close);

/// <summary>The brokerage account; money in dollars.</summary>
public sealed record BrokerAccount(
    string AccountId,
    decimal Equity,
    decimal LastEquity,
    decimal Cash,
    decimal BuyingPower,
    decimal OptionsBuyingPower,
    int OptionsTradingLevel,
    bool TradingBlocked,
    bool IsPaper);

/// <summary>Buy or sell.</summary>
public enum OrderSide
{
    Buy,
    Sell,
}

/// <summary>Why a leg is traded (Alpaca <c>position_intent</c>).</summary>
public enum PositionIntent
{
    BuyToOpen,
    SellToOpen,
    BuyToClose,
    SellToClose,
}

/// <summary>One leg of a multi-leg order; <paramref name="FilledAveragePrice"/> is the leg's own fill price (positive), when reported.</summary>
public sealed record OrderLeg(OccSymbol Symbol, OrderSide Side, PositionIntent Intent, int RatioQuantity = 1, decimal? FilledAveragePrice = null);

/// <summary>
/// A multi-leg (<c>mleg</c>) limit order, time in force day.
/// <see cref="LimitPrice"/> follows Alpaca's sign: negative = a net credit received, positive = a net debit paid.
/// A wrong sign is not rejected by Alpaca; it fills against you. Build it with <see cref="OpenForCredit"/> or <see cref="CloseForDebit"/>.
/// </summary>
public sealed record MultiLegOrder(string ClientOrderId, int Quantity, decimal LimitPrice, IReadOnlyList<OrderLeg> Legs)
{
    /// <summary>An opening order that receives <paramref name="credit"/> (a positive number of dollars per share).</summary>
    public static MultiLegOrder OpenForCredit(string clientOrderId, int quantity, decimal credit, IReadOnlyList<OrderLeg> legs)
    {
        if (credit <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(credit), credit, "An opening credit must be positive; it is sent as a negative limit price.");
        }

        return new MultiLegOrder(clientOrderId, quantity, -credit, legs);
    }

    /// <summary>A closing order that pays at most <paramref name="debit"/> (a positive number of dollars per share).</summary>
    public static MultiLegOrder CloseForDebit(string clientOrderId, int quantity, decimal debit, IReadOnlyList<OrderLeg> legs)
    {
        if (debit < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(debit), debit, "A closing debit must not be negative; it is sent as a positive limit price.");
        }

        return new MultiLegOrder(clientOrderId, quantity, debit, legs);
    }
}

/// <summary>Order states we act on (Alpaca has more; unknown ones map to <see cref="Other"/>).</summary>
public enum OrderStatus
{
    New,
    Accepted,
    PendingNew,
    PartiallyFilled,
    Filled,
    Canceled,
    Expired,
    Rejected,
    Other,
}

/// <summary>An order as the broker reports it. <see cref="FilledAveragePrice"/> uses the same sign as the limit price.</summary>
public sealed record BrokerOrder(
    string OrderId,
    string ClientOrderId,
    OrderStatus Status,
    int Quantity,
    int FilledQuantity,
    decimal? LimitPrice,
    decimal? FilledAveragePrice,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? FilledAt,
    IReadOnlyList<OrderLeg> Legs)
{
    public bool IsTerminal => Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected;
}

/// <summary>An open option position; quantity is negative for a short.</summary>
public sealed record BrokerPosition(OccSymbol Symbol, int Quantity, decimal AverageEntryPrice, decimal MarketValue, decimal UnrealizedPnl);
