using Trading.Core.Markets;

namespace Trading.Pipeline.Tests.Support;

/// <summary>
/// Wraps a real broker and, when armed, throws right AFTER the inner broker accepted an order: the fault a retried PlaceOrder
/// must survive without placing a second order. Counts the orders the inner broker really accepted.
/// </summary>
public sealed class FaultyBroker : IBroker
{
    private readonly IBroker _inner;

    public FaultyBroker(IBroker inner) => _inner = inner;

    public int FailAfterAcceptCount { get; set; }

    public int PlaceCalls { get; private set; }

    public bool IsSimulated => _inner.IsSimulated;

    public Task<BrokerAccount> GetAccountAsync(CancellationToken cancellationToken) => _inner.GetAccountAsync(cancellationToken);

    public Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken) => _inner.GetPositionsAsync(cancellationToken);

    public async Task<BrokerOrder> PlaceOrderAsync(MultiLegOrder order, CancellationToken cancellationToken)
    {
        PlaceCalls++;
        var placed = await _inner.PlaceOrderAsync(order, cancellationToken);
        if (FailAfterAcceptCount > 0)
        {
            FailAfterAcceptCount--;
            throw new HttpRequestException("connection reset after the broker accepted the order (injected)");
        }

        return placed;
    }

    public Task<BrokerOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken) => _inner.GetOrderAsync(orderId, cancellationToken);

    public Task<BrokerOrder?> GetOrderByClientIdAsync(string clientOrderId, CancellationToken cancellationToken) =>
        _inner.GetOrderByClientIdAsync(clientOrderId, cancellationToken);

    public Task CancelOrderAsync(string orderId, CancellationToken cancellationToken) => _inner.CancelOrderAsync(orderId, cancellationToken);
}
