using Trading.Core.Markets;

namespace Trading.Markets.Orders;

/// <summary>Alpaca's wire names for sides, intents and statuses, shared by the REST client and the simulated broker.</summary>
public static class AlpacaNames
{
    public static string Side(OrderSide side) => side == OrderSide.Buy ? "buy" : "sell";

    public static OrderSide ParseSide(string? text) => string.Equals(text, "sell", StringComparison.OrdinalIgnoreCase) ? OrderSide.Sell : OrderSide.Buy;

    public static string Intent(PositionIntent intent) => intent switch
    {
        PositionIntent.BuyToOpen => "buy_to_open",
        PositionIntent.SellToOpen => "sell_to_open",
        PositionIntent.BuyToClose => "buy_to_close",
        PositionIntent.SellToClose => "sell_to_close",
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "Unknown position intent."),
    };

    /// <summary>Parses a position intent; a missing one is inferred from the side as an opening trade.</summary>
    public static PositionIntent ParseIntent(string? text, OrderSide side) => text?.ToUpperInvariant() switch
    {
        "BUY_TO_OPEN" => PositionIntent.BuyToOpen,
        "SELL_TO_OPEN" => PositionIntent.SellToOpen,
        "BUY_TO_CLOSE" => PositionIntent.BuyToClose,
        "SELL_TO_CLOSE" => PositionIntent.SellToClose,
        _ => side == OrderSide.Buy ? PositionIntent.BuyToOpen : PositionIntent.SellToOpen,
    };

    public static OrderStatus ParseStatus(string? text) => text?.ToUpperInvariant() switch
    {
        "NEW" => OrderStatus.New,
        "ACCEPTED" => OrderStatus.Accepted,
        "PENDING_NEW" => OrderStatus.PendingNew,
        "PARTIALLY_FILLED" => OrderStatus.PartiallyFilled,
        "FILLED" => OrderStatus.Filled,
        "CANCELED" or "CANCELLED" => OrderStatus.Canceled,
        "EXPIRED" or "DONE_FOR_DAY" => OrderStatus.Expired,
        "REJECTED" => OrderStatus.Rejected,
        _ => OrderStatus.Other,
    };

    public static string Status(OrderStatus status) => status switch
    {
        OrderStatus.New => "new",
        OrderStatus.Accepted => "accepted",
        OrderStatus.PendingNew => "pending_new",
        OrderStatus.PartiallyFilled => "partially_filled",
        OrderStatus.Filled => "filled",
        OrderStatus.Canceled => "canceled",
        OrderStatus.Expired => "expired",
        OrderStatus.Rejected => "rejected",
        _ => "other",
    };

    /// <summary>True when the intent opens a position.</summary>
    public static bool IsOpening(PositionIntent intent) => intent is PositionIntent.BuyToOpen or PositionIntent.SellToOpen;
}
