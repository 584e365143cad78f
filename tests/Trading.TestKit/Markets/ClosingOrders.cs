using Trading.Core.Markets;

namespace Trading.TestKit.Markets;

/// <summary>Closing orders for broker tests: the whole held structure bought back as one multi-leg order for a debit.</summary>
public static class ClosingOrders
{
    /// <summary>Shorts bought to close and longs sold to close, <paramref name="quantity"/> of each, paying at most <paramref name="debit"/>.</summary>
    public static MultiLegOrder For(string clientOrderId, IEnumerable<BrokerPosition> positions, int quantity, decimal debit)
    {
        ArgumentNullException.ThrowIfNull(positions);
        var legs = positions.Select(p => p.Quantity < 0
            ? new OrderLeg(p.Symbol, OrderSide.Buy, PositionIntent.BuyToClose)
            : new OrderLeg(p.Symbol, OrderSide.Sell, PositionIntent.SellToClose)).ToList();
        return MultiLegOrder.CloseForDebit(clientOrderId, quantity, debit, legs);
    }
}
