using Trading.Core.Markets;

namespace Trading.Markets.Orders;

/// <summary>Closing a whole iron condor (or any 2–4 leg structure) as one multi-leg order for a debit.</summary>
public static class CondorClosing
{
    /// <summary>
    /// The closing order for <paramref name="positions"/>: shorts are bought to close, longs sold to close, paying at most
    /// <paramref name="maxDebit"/> per share (sent as a positive limit price).
    /// </summary>
    public static MultiLegOrder BuildOrder(string runId, IReadOnlyList<BrokerPosition> positions, int quantity, decimal maxDebit)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count is < 2 or > 4)
        {
            throw new ArgumentException($"A multi-leg close needs 2 to 4 positions, not {positions.Count}.", nameof(positions));
        }

        if (quantity <= 0 || positions.Any(p => Math.Abs(p.Quantity) < quantity))
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "The quantity must be positive and no more than each position holds.");
        }

        var legs = positions.Select(p => p.Quantity < 0
            ? new OrderLeg(p.Symbol, OrderSide.Buy, PositionIntent.BuyToClose)
            : new OrderLeg(p.Symbol, OrderSide.Sell, PositionIntent.SellToClose)).ToList();
        return MultiLegOrder.CloseForDebit(ClientOrderIds.For(runId, legs), quantity, maxDebit, legs);
    }

    /// <summary>Builds and places the closing order (idempotent through its client order id).</summary>
    public static Task<BrokerOrder> CloseAsync(IBroker broker, string runId, IReadOnlyList<BrokerPosition> positions, int quantity, decimal maxDebit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return broker.PlaceOrderAsync(BuildOrder(runId, positions, quantity, maxDebit), cancellationToken);
    }
}
