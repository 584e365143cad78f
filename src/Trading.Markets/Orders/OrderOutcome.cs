using Trading.Core.Markets;

namespace Trading.Markets.Orders;

/// <summary>How an order ended.</summary>
public enum OrderOutcomeKind
{
    /// <summary>Completely filled.</summary>
    Filled,

    /// <summary>Some contracts filled; the rest was canceled or expired.</summary>
    PartiallyFilled,

    /// <summary>Nothing filled by the deadline; we canceled it.</summary>
    NotFilled,

    /// <summary>Canceled by someone else before anything filled.</summary>
    Canceled,

    /// <summary>Expired (day order at the close) with nothing filled.</summary>
    Expired,

    /// <summary>Rejected by the broker after submission.</summary>
    Rejected,
}

/// <summary>The result of following an order to its end.</summary>
public sealed record OrderOutcome(OrderOutcomeKind Kind, BrokerOrder Order, int FilledQuantity, bool CanceledAtDeadline, string Description)
{
    public bool IsFilled => Kind == OrderOutcomeKind.Filled;
}

/// <summary>
/// Follows a placed order until it is filled, canceled or expired. A limit order still working at its deadline is canceled
/// and reported; partial fills are reported as such. Waits on the <see cref="TimeProvider"/> (a backtest's clock).
/// </summary>
public sealed class OrderFillWatcher
{
    private const int PostCancelPolls = 5;
    private readonly IBroker _broker;
    private readonly TimeProvider _time;

    public OrderFillWatcher(IBroker broker, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _broker = broker;
        _time = timeProvider;
    }

    /// <summary>Polls every <paramref name="pollInterval"/> until the order ends or <paramref name="deadline"/> passes.</summary>
    public async Task<OrderOutcome> WaitAsync(string orderId, DateTimeOffset deadline, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        if (pollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(pollInterval), pollInterval, "The poll interval must be positive.");
        }

        while (true)
        {
            var order = await ReadAsync(orderId, cancellationToken).ConfigureAwait(false);
            if (order.IsTerminal)
            {
                return Describe(order, canceledAtDeadline: false);
            }

            var now = _time.GetUtcNow();
            if (now >= deadline)
            {
                return await CancelAtDeadlineAsync(order, cancellationToken).ConfigureAwait(false);
            }

            var wait = deadline - now < pollInterval ? deadline - now : pollInterval;
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<OrderOutcome> CancelAtDeadlineAsync(BrokerOrder order, CancellationToken cancellationToken)
    {
        try
        {
            await _broker.CancelOrderAsync(order.OrderId, cancellationToken).ConfigureAwait(false);
        }
        catch (OrderRejectedException)
        {
            // It filled or ended between our read and the cancel: the next read says how.
        }

        // A cancel is acknowledged asynchronously (pending_cancel); read a few times for the final state.
        for (var i = 0; i < PostCancelPolls; i++)
        {
            order = await ReadAsync(order.OrderId, cancellationToken).ConfigureAwait(false);
            if (order.IsTerminal)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        return Describe(order, canceledAtDeadline: order.Status != OrderStatus.Filled);
    }

    private async Task<BrokerOrder> ReadAsync(string orderId, CancellationToken cancellationToken) =>
        await _broker.GetOrderAsync(orderId, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException($"Order '{orderId}' is not known to the broker.");

    private static OrderOutcome Describe(BrokerOrder order, bool canceledAtDeadline)
    {
        var filled = order.FilledQuantity;
        var (kind, text) = order.Status switch
        {
            OrderStatus.Filled => (OrderOutcomeKind.Filled, $"filled {filled} at {order.FilledAveragePrice}"),
            _ when filled > 0 => (OrderOutcomeKind.PartiallyFilled, $"partially filled: {filled} of {order.Quantity} at {order.FilledAveragePrice}, the rest {(canceledAtDeadline ? "canceled at the deadline" : order.Status.ToString().ToLowerInvariant())}"),
            OrderStatus.Rejected => (OrderOutcomeKind.Rejected, "rejected by the broker"),
            OrderStatus.Expired => (OrderOutcomeKind.Expired, "expired unfilled"),
            _ when canceledAtDeadline => (OrderOutcomeKind.NotFilled, $"not filled by the deadline; canceled (status {order.Status})"),
            _ => (OrderOutcomeKind.Canceled, "canceled before any fill"),
        };
        return new OrderOutcome(kind, order, filled, canceledAtDeadline, $"Order {order.OrderId} ({order.ClientOrderId}) {text}.");
    }
}
