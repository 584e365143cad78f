using System.Globalization;
using Trading.Core.Markets;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Manage;

/// <summary>ClosePosition: one multi-leg closing order; idempotent by a client order id derived from the position and attempt.</summary>
public sealed class ClosePositionActivity : PipelineActivity<CloseRequest, CloseResult>
{
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly TimeProvider _time;

    public ClosePositionActivity(IBroker broker, PositionBook positions, TimeProvider time)
        : base(ActivityNames.ClosePosition)
    {
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public override async Task<CloseResult> RunAsync(CloseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var entry = await _positions.GetAsync(request.PositionId, cancellationToken)
            ?? throw new InvalidOperationException($"Position {request.PositionId} is not in the book.");
        var position = entry.Value;
        var attempt = position.State == PositionStates.Closing && position.CloseClientOrderId is not null
            ? AttemptOf(position.CloseClientOrderId)
            : (position.CloseClientOrderId is null ? 1 : AttemptOf(position.CloseClientOrderId) + 1);
        var clientOrderId = ClientOrderIds.Exit(position.PositionId, attempt);
        BrokerOrder order;
        try
        {
            order = await _broker.GetOrderByClientIdAsync(clientOrderId, cancellationToken)
                ?? await _broker.PlaceOrderAsync(
                    MultiLegOrder.CloseForDebit(clientOrderId, position.OpenContracts, request.DebitLimit, ProposalMapping.ClosingLegs(position.Legs)), cancellationToken);
        }
        catch (OrderRejectedException e)
        {
            return new CloseResult { PositionId = position.PositionId, Placed = false, ClientOrderId = clientOrderId, Status = "rejected", Summary = $"close rejected ({e.Reason}): {e.Message}" };
        }

        var filled = order.Status == OrderStatus.Filled;
        var fill = filled ? MultiLegFill.Debit(order, request.DebitLimit, position.WingWidthDollars) : null;
        var now = _time.GetUtcNow();
        await _positions.SaveAsync(position with
        {
            State = PositionStates.Closing,
            CloseClientOrderId = clientOrderId,
            CloseOrderId = order.OrderId,
            ExitReason = request.ExitReason,
            ExitDebit = fill is null ? null : position.AverageExitDebit(fill.Booked),
            ClosedUtc = filled ? order.FilledAt ?? now : null,
            Alert = fill?.Problem is { } problem ? "exit fill: " + problem : position.Alert,
        }, entry.ETag, cancellationToken);
        return new CloseResult
        {
            PositionId = position.PositionId,
            Placed = true,
            Filled = filled,
            ClientOrderId = clientOrderId,
            OrderId = order.OrderId,
            Status = order.Status.ToString(),
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"closing order {order.OrderId} ({request.ExitReason}) at most {request.DebitLimit:0.00} debit: {order.Status}{(fill is null ? string.Empty : $" at {fill.Booked:0.00}")}{(fill?.Problem is { } p ? $"; ALERT: {p}" : string.Empty)}"),
        };
    }

    private static int AttemptOf(string closeClientOrderId)
    {
        var dash = closeClientOrderId.IndexOf('-', StringComparison.Ordinal);
        return dash > 1 && int.TryParse(closeClientOrderId.AsSpan(1, dash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
    }
}
