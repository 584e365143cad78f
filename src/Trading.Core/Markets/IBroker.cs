namespace Trading.Core.Markets;

/// <summary>Order placement: the same interface over Alpaca paper/live and the simulated broker.</summary>
public interface IBroker
{
    bool IsSimulated { get; }

    Task<BrokerAccount> GetAccountAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Places the order idempotently: if an order with the same client order id exists, returns it instead of placing another.
    /// Throws <see cref="OrderRejectedException"/> when the broker refuses it.
    /// </summary>
    Task<BrokerOrder> PlaceOrderAsync(MultiLegOrder order, CancellationToken cancellationToken);

    Task<BrokerOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken);

    Task<BrokerOrder?> GetOrderByClientIdAsync(string clientOrderId, CancellationToken cancellationToken);

    Task CancelOrderAsync(string orderId, CancellationToken cancellationToken);
}

/// <summary>The broker refused an order (buying power, permission, validation, market closed).</summary>
public sealed class OrderRejectedException : Exception
{
    public OrderRejectedException(string reason, int? httpStatus, string message)
        : base(message)
    {
        Reason = reason;
        HttpStatus = httpStatus;
    }

    public OrderRejectedException()
        : this("unknown", null, "The order was rejected.")
    {
    }

    public OrderRejectedException(string message)
        : this("unknown", null, message)
    {
    }

    public OrderRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "unknown";
    }

    /// <summary>A short code: buying_power, permission, validation, market_closed, unknown.</summary>
    public string Reason { get; }

    public int? HttpStatus { get; }
}
