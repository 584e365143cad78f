using System.Collections.Concurrent;
using Trading.Core.Markets;

namespace TradingFunctions.Tests.Support;

/// <summary>
/// What reached the broker, kept by the test outside any worker so it survives a worker restart (as a real broker would).
/// </summary>
public sealed class BrokerCalls
{
    private int _placeAttempts;

    /// <summary>Client order ids of the orders the broker accepted, in order (a duplicate id is the broker deduplicating).</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    /// <summary>Calls to PlaceOrder that reached the broker (accepted or not).</summary>
    public int PlaceAttempts => Volatile.Read(ref _placeAttempts);

    /// <summary>When set, every order placement fails before the broker sees it.</summary>
    public bool FailPlacement { get; set; }

    /// <summary>
    /// This many placements fail right AFTER the broker accepted the order (a connection lost on the way back): the case a
    /// re-executed PlaceOrder must survive without a second order.
    /// </summary>
    public int FailAfterAccept { get; set; }

    internal void Attempted() => Interlocked.Increment(ref _placeAttempts);
}

/// <summary>The app's broker (the stored simulated one) with every order placement recorded in a <see cref="BrokerCalls"/>.</summary>
public sealed class BrokerTap : IBroker
{
    private readonly IBroker _inner;
    private readonly BrokerCalls _calls;

    public BrokerTap(IBroker inner, BrokerCalls calls)
    {
        _inner = inner;
        _calls = calls;
    }

    public bool IsSimulated => _inner.IsSimulated;

    public Task<BrokerAccount> GetAccountAsync(CancellationToken cancellationToken) => _inner.GetAccountAsync(cancellationToken);

    public Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken) => _inner.GetPositionsAsync(cancellationToken);

    public async Task<BrokerOrder> PlaceOrderAsync(MultiLegOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        _calls.Attempted();
        if (_calls.FailPlacement)
        {
            throw new HttpRequestException("broker unreachable (injected)");
        }

        var placed = await _inner.PlaceOrderAsync(order, cancellationToken);
        _calls.Accepted.Enqueue(order.ClientOrderId);
        if (_calls.FailAfterAccept > 0)
        {
            _calls.FailAfterAccept--;
            throw new HttpRequestException("connection reset after the broker accepted the order (injected)");
        }

        return placed;
    }

    public Task<BrokerOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken) => _inner.GetOrderAsync(orderId, cancellationToken);

    public Task<BrokerOrder?> GetOrderByClientIdAsync(string clientOrderId, CancellationToken cancellationToken) =>
        _inner.GetOrderByClientIdAsync(clientOrderId, cancellationToken);

    public Task CancelOrderAsync(string orderId, CancellationToken cancellationToken) => _inner.CancelOrderAsync(orderId, cancellationToken);
}
