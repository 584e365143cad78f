using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Markets;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Activities.Entry;

/// <summary>
/// PlaceOrder: one multi-leg limit order for a credit. Idempotent: the client order id is derived from the run id, so a retry
/// after the broker accepted returns the existing order, and the position is recorded once.
/// </summary>
public sealed class PlaceOrderActivity : PipelineActivity<OrderRequest, OrderPlacement>
{
    private readonly IBroker _broker;
    private readonly PositionBook _positions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PlaceOrderActivity(IBroker broker, PositionBook positions, TimeProvider time, ILogger<PlaceOrderActivity>? logger = null)
        : base(ActivityNames.PlaceOrder)
    {
        _broker = broker ?? throw new ArgumentNullException(nameof(broker));
        _positions = positions ?? throw new ArgumentNullException(nameof(positions));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public override async Task<OrderPlacement> RunAsync(OrderRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var proposal = request.Strategy.Proposal ?? throw new InvalidOperationException("PlaceOrder needs a proposal.");
        var clientOrderId = ClientOrderIds.Entry(request.Run.RunId);
        var legs = ProposalMapping.OpeningLegs(proposal);
        var maxLossAtLimit = request.Contracts * (proposal.WingWidthDollars - request.LimitCredit) * 100m;
        if (request.Contracts < 1 || maxLossAtLimit > request.Risk.MaxLossBudgetDollars)
        {
            // The last hard limit before money moves: whatever produced this request, its worst case must fit the risk budget.
            return new OrderPlacement
            {
                Placed = false,
                ClientOrderId = clientOrderId,
                Status = "refused",
                RejectReason = string.Create(CultureInfo.InvariantCulture,
                    $"risk: {request.Contracts} contract(s) at a {request.LimitCredit:0.00} credit can lose ${maxLossAtLimit:0}, more than the approved ${request.Risk.MaxLossBudgetDollars:0}"),
                Summary = "refused before sending: the order's worst case exceeds the risk budget",
            };
        }

        BrokerOrder order;
        try
        {
            order = await _broker.GetOrderByClientIdAsync(clientOrderId, cancellationToken)
                ?? await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit(clientOrderId, request.Contracts, request.LimitCredit, legs), cancellationToken);
        }
        catch (OrderRejectedException e)
        {
            return new OrderPlacement
            {
                Placed = false,
                ClientOrderId = clientOrderId,
                Status = "rejected",
                RejectReason = $"{e.Reason}: {e.Message}",
                Summary = $"broker rejected the order ({e.Reason})",
            };
        }

        var filled = order.Status == OrderStatus.Filled;
        var fill = filled ? MultiLegFill.Credit(order, request.LimitCredit, proposal.WingWidthDollars) : null;
        decimal? fillCredit = fill?.Booked;
        if (fill?.Problem is { } problem)
        {
            _logger.LogWarning("Order {ClientOrderId}: inconsistent fill: {Problem}", clientOrderId, problem);
        }

        var now = _time.GetUtcNow();
        await _positions.TryAddAsync(new PositionRecord
        {
            PositionId = clientOrderId,
            RunId = request.Run.RunId,
            State = filled ? PositionStates.Open : PositionStates.Opening,
            Symbol = proposal.Symbol,
            Strategy = request.Strategy.Strategy,
            Variant = request.Strategy.Variant,
            EntryReason = request.Strategy.EntryReason,
            EntryRegime = request.Snapshot.Regime,
            MemoryVerdictAtEntry = request.Memory.Verdict,
            EntryVolatilityBand = request.Risk.VolatilityBand ?? string.Empty,
            EntryDte = proposal.DaysToExpiration,
            ShortDelta = proposal.TargetShortDelta,
            Expiration = proposal.Expiration,
            Legs = proposal.Legs,
            Contracts = request.Contracts,
            WingWidthDollars = proposal.WingWidthDollars,
            LimitCredit = request.LimitCredit,
            EntryOrderId = order.OrderId,
            EntryCredit = filled ? fillCredit : null,
            OpenedUtc = now,
            EntryFilledUtc = filled ? order.FilledAt ?? now : null,
            SimulatedBroker = _broker.IsSimulated,
            Alert = fill?.Problem is { } p ? "entry fill: " + p : null,
        }, cancellationToken);
        return new OrderPlacement
        {
            Placed = true,
            ClientOrderId = clientOrderId,
            OrderId = order.OrderId,
            Status = order.Status.ToString(),
            FilledQuantity = order.FilledQuantity,
            FilledCredit = fillCredit,
            PositionId = clientOrderId,
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"order {order.OrderId} ({clientOrderId}): {request.Contracts} × condor at {request.LimitCredit:0.00} credit, {order.Status}{(fillCredit is { } f ? $" at {f:0.00}" : string.Empty)}{(fill?.Problem is { } alert ? $"; ALERT: {alert}" : string.Empty)}{(_broker.IsSimulated ? " [SIMULATED broker]" : string.Empty)}"),
        };
    }
}
