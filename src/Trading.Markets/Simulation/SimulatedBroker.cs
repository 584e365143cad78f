using System.Globalization;
using System.Text.Json;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Calendar;
using Trading.Markets.Orders;

namespace Trading.Markets.Simulation;

/// <summary>
/// A paper broker over the simulated market. Multi-leg limit orders (time in force day) fill under the configured
/// fill model (<see cref="SimulationSettings.Fills"/>): marketable ones at once, resting ones by a seeded chance, sometimes in
/// part; what does not fill expires at the session's close. Fees and commissions are charged per contract and leg.
/// It refuses orders as Alpaca does (market closed, options level, buying power, closing more than is held), marks positions
/// to market, and settles expired options physically (in the money at the close → shares, sold or bought back at the next
/// open). Starts with $100,000 by default.
/// </summary>
public sealed class SimulatedBroker : IBroker
{
    private static readonly JsonSerializerOptions CopyOptions = new();

    private readonly OptionChainModel _model;
    private readonly SimulationSettings _settings;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private SimulatedBrokerState _state;

    public SimulatedBroker(OptionChainModel model, SimulationSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        settings.Validate();
        _model = model;
        _settings = settings;
        _time = timeProvider;
        _state = new SimulatedBrokerState { Cash = settings.StartingEquityDollars, LastEquity = settings.StartingEquityDollars };
    }

    public bool IsSimulated => true;

    /// <summary>A deep copy of the broker's state, to persist.</summary>
    public SimulatedBrokerState ExportState()
    {
        lock (_gate)
        {
            return Copy(_state);
        }
    }

    /// <summary>Replaces the broker's state with a persisted one (deep-copied).</summary>
    public void ImportState(SimulatedBrokerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var p in state.Positions)
        {
            if (!OccSymbol.TryParse(p.Symbol, out _))
            {
                throw new ArgumentException($"Simulated broker state has a position with an invalid OCC symbol '{p.Symbol}'.", nameof(state));
            }
        }

        lock (_gate)
        {
            _state = Copy(state);
        }
    }

    public Task<BrokerAccount> GetAccountAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Refresh(now);
            var equity = Equity(now);
            var requirement = Requirement(_state.Positions.Select(p => (OccSymbol.Parse(p.Symbol), p.Quantity))) ?? 0m;
            var buyingPower = Math.Max(0m, _state.Cash - requirement);
            return Task.FromResult(new BrokerAccount("SIMULATED", Round(equity), Round(_state.LastEquity), Round(_state.Cash), Round(buyingPower),
                Round(buyingPower), _settings.OptionsTradingLevel, TradingBlocked: false, IsPaper: true));
        }
    }

    public Task<IReadOnlyList<BrokerPosition>> GetPositionsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Refresh(now);
            IReadOnlyList<BrokerPosition> list = _state.Positions.Select(p => ToPosition(p, now)).ToList();
            return Task.FromResult(list);
        }
    }

    public Task<BrokerOrder> PlaceOrderAsync(MultiLegOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            Refresh(now);
            var existing = _state.Orders.Find(o => o.ClientOrderId == order.ClientOrderId);
            if (existing is not null)
            {
                return Task.FromResult(ToOrder(existing));
            }

            Validate(order, now);
            var state = new SimulatedOrderState
            {
                OrderId = string.Create(CultureInfo.InvariantCulture, $"sim-{_state.NextOrderNumber++:D8}"),
                ClientOrderId = order.ClientOrderId,
                Status = "new",
                Quantity = order.Quantity,
                LimitPrice = order.LimitPrice,
                SubmittedAt = now,
                SessionDate = EasternTime.DateOf(now),
                Legs = order.Legs.Select(l => new SimulatedLegState
                {
                    Symbol = l.Symbol.ToString(),
                    Side = AlpacaNames.Side(l.Side),
                    PositionIntent = AlpacaNames.Intent(l.Intent),
                    RatioQuantity = l.RatioQuantity,
                }).ToList(),
            };
            _state.Orders.Add(state);
            TryFill(state, now);
            return Task.FromResult(ToOrder(state));
        }
    }

    public Task<BrokerOrder?> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Refresh(_time.GetUtcNow());
            var o = _state.Orders.Find(x => x.OrderId == orderId);
            return Task.FromResult(o is null ? null : ToOrder(o));
        }
    }

    public Task<BrokerOrder?> GetOrderByClientIdAsync(string clientOrderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Refresh(_time.GetUtcNow());
            var o = _state.Orders.Find(x => x.ClientOrderId == clientOrderId);
            return Task.FromResult(o is null ? null : ToOrder(o));
        }
    }

    public Task CancelOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Refresh(_time.GetUtcNow());
            var o = _state.Orders.Find(x => x.OrderId == orderId)
                ?? throw new OrderRejectedException("validation", 404, $"Order '{orderId}' was not found.");
            if (AlpacaNames.ParseStatus(o.Status) is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected)
            {
                throw new OrderRejectedException("validation", 422, $"Order '{orderId}' is {o.Status} and can no longer be canceled.");
            }

            o.Status = "canceled";
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Settles expired positions, rolls the day's opening equity and works resting orders up to <paramref name="now"/>.
    /// Every public call does this first, so a backtest only needs to advance its clock.
    /// </summary>
    private void Refresh(DateTimeOffset now)
    {
        foreach (var p in _state.Positions.ToList())
        {
            // Physically settled: in the money at the expiration close → shares, liquidated at the next session's open.
            var symbol = OccSymbol.Parse(p.Symbol);
            var nextSession = NyseCalendar.NextTradingDayOnOrAfter(symbol.Expiration.AddDays(1));
            if (now < NyseCalendar.OpenAt(nextSession))
            {
                continue;
            }

            var close = Math.Round((decimal)_model.Path.DayOnOrBefore(symbol.Expiration).Close, 2, MidpointRounding.AwayFromZero);
            var open = Math.Round((decimal)_model.Path.DayOnOrBefore(nextSession).Open, 2, MidpointRounding.AwayFromZero);
            var intrinsic = PhysicalSettlement.ValuePerShare(symbol.Right, symbol.Strike, close, open);
            var amount = p.Quantity * intrinsic * 100m;
            _state.Cash += amount;
            _state.Positions.Remove(p);
            _state.Settlements.Add(new SimulatedSettlementState
            {
                Symbol = p.Symbol,
                Quantity = p.Quantity,
                UnderlyingClose = close,
                SettlementPrice = intrinsic,
                CashAmount = amount,
                Expiration = symbol.Expiration,
            });
        }

        var today = EasternTime.DateOf(now);
        if (_state.LastEquityDate is null || _state.LastEquityDate < today)
        {
            _state.LastEquity = Equity(now);
            _state.LastEquityDate = today;
        }

        foreach (var o in _state.Orders)
        {
            if (o.Status is not ("new" or "partially_filled"))
            {
                continue;
            }

            if (now >= NyseCalendar.CloseAt(o.SessionDate) || today > o.SessionDate)
            {
                o.Status = "expired";
                continue;
            }

            TryFill(o, now);
        }
    }

    private void Validate(MultiLegOrder order, DateTimeOffset now)
    {
        if (!NyseCalendar.IsOpenAt(now))
        {
            throw new OrderRejectedException("market_closed", 403, "The market is closed; options orders are accepted only during regular hours (9:30–16:00 ET).");
        }

        if (order.Quantity <= 0)
        {
            throw new OrderRejectedException("validation", 422, "qty must be a positive whole number.");
        }

        if (order.Legs.Count is < 2 or > 4)
        {
            throw new OrderRejectedException("validation", 422, $"A multi-leg order needs 2 to 4 legs, not {order.Legs.Count}.");
        }

        if (order.ClientOrderId.Length is 0 or > 128)
        {
            throw new OrderRejectedException("validation", 422, "client_order_id must be 1 to 128 characters.");
        }

        if (order.Legs.Select(l => l.Symbol).Distinct().Count() != order.Legs.Count)
        {
            throw new OrderRejectedException("validation", 422, "Each leg must be a different contract.");
        }

        var today = EasternTime.DateOf(now);
        foreach (var leg in order.Legs)
        {
            if (leg.RatioQuantity != 1)
            {
                throw new OrderRejectedException("validation", 422, $"Leg {leg.Symbol}: ratio_qty must be 1.");
            }

            var buying = leg.Intent is PositionIntent.BuyToOpen or PositionIntent.BuyToClose;
            if (buying != (leg.Side == OrderSide.Buy))
            {
                throw new OrderRejectedException("validation", 422, $"Leg {leg.Symbol}: side {AlpacaNames.Side(leg.Side)} does not match position_intent {AlpacaNames.Intent(leg.Intent)}.");
            }

            if (leg.Symbol.Expiration < today)
            {
                throw new OrderRejectedException("validation", 422, $"Leg {leg.Symbol} has expired.");
            }

            if (!AlpacaNames.IsOpening(leg.Intent))
            {
                var held = _state.Positions.Find(p => p.Symbol == leg.Symbol.ToString())?.Quantity ?? 0;
                var closable = leg.Intent == PositionIntent.BuyToClose ? -held : held;
                if (closable < order.Quantity)
                {
                    throw new OrderRejectedException("validation", 422, $"Leg {leg.Symbol}: insufficient qty available to close ({closable} held, {order.Quantity} requested).");
                }
            }
        }

        if (order.Legs.Any(l => l.Intent == PositionIntent.SellToOpen) && _settings.OptionsTradingLevel < 3)
        {
            throw new OrderRejectedException("permission", 403, $"Options trading level {_settings.OptionsTradingLevel} does not allow spreads; level 3 is required.");
        }

        var after = _state.Positions.ToDictionary(p => p.Symbol, p => p.Quantity);
        foreach (var leg in order.Legs)
        {
            var key = leg.Symbol.ToString();
            after[key] = after.GetValueOrDefault(key) + (Sign(leg.Side) * order.Quantity);
        }

        var requirementAfter = Requirement(after.Select(kv => (OccSymbol.Parse(kv.Key), kv.Value)));
        if (requirementAfter is null)
        {
            throw new OrderRejectedException("permission", 403, "The order would leave an uncovered (naked) short call; the account is not approved for naked options.");
        }

        var requirementBefore = Requirement(_state.Positions.Select(p => (OccSymbol.Parse(p.Symbol), p.Quantity))) ?? 0m;
        var available = _state.Cash - requirementBefore;
        var needed = requirementAfter.Value - requirementBefore + (order.LimitPrice * 100m * order.Quantity);
        if (needed > 0 && needed > available)
        {
            throw new OrderRejectedException("buying_power", 403,
                string.Create(CultureInfo.InvariantCulture, $"insufficient options buying power: required {needed:0.00}, available {available:0.00}"));
        }
    }

    /// <summary>
    /// Works a resting order at <paramref name="now"/> under the fill model (<see cref="SimulationSettings.Fills"/>). Prices are
    /// net per share in Alpaca's sign (positive = paid): natural = pay the asks, receive the bids; the chance of a non-marketable
    /// fill accrues with the time the order has rested, drawn from a generator seeded by the seed, the order and the minute.
    /// </summary>
    private void TryFill(SimulatedOrderState order, DateTimeOffset now)
    {
        if (!NyseCalendar.IsOpenAt(now))
        {
            return;
        }

        var legs = order.Legs.Select(l => (Symbol: OccSymbol.Parse(l.Symbol), Sign: l.Side == "buy" ? 1 : -1)).ToList();
        var quotes = legs.Select(l => _model.SnapshotAt(l.Symbol, now).Quote).ToList();
        var mid = legs.Select((l, i) => l.Sign * quotes[i].Mid).Sum();
        var natural = legs.Select((l, i) => l.Sign * (l.Sign > 0 ? quotes[i].Ask : quotes[i].Bid)).Sum();
        var limit = order.LimitPrice;
        var rested = now - (order.LastWorkedAt ?? order.SubmittedAt);
        order.LastWorkedAt = now;
        var pessimistic = _settings.Fills == FillModels.Pessimistic;

        decimal? price;
        var marketable = limit >= natural;
        if (marketable)
        {
            price = pessimistic ? limit : Math.Min(limit, natural + _settings.SlippagePerOrderDollars);
        }
        else if (pessimistic)
        {
            price = null;
        }
        else
        {
            // Between the mid and the natural the chance grows linearly, 5% → 50% per half hour; better than the mid, 2%.
            var towardsNatural = natural == mid ? 1m : Math.Clamp((limit - mid) / (natural - mid), 0m, 1m);
            var perHalfHour = limit < mid ? 0.02 : 0.05 + (0.45 * (double)towardsNatural);
            var chance = 1 - Math.Pow(1 - perHalfHour, Math.Max(rested.TotalMinutes, 1) / 30.0);
            price = Draw(order, now).NextDouble() < chance ? limit : null;
        }

        if (price is not { } net)
        {
            return;
        }

        // A resting order for more than one contract sometimes fills in part first (realistic model only); the rest keeps resting.
        var remaining = order.Quantity - order.FilledQuantity;
        var quantity = !pessimistic && !marketable && remaining > 1 && Draw(order, now.AddSeconds(1)).NextDouble() < 0.25 ? remaining - 1 : remaining;
        var offset = (net - mid) / legs.Count;
        for (var i = 0; i < legs.Count; i++)
        {
            var legPrice = Math.Max(0m, decimal.Round(quotes[i].Mid + (legs[i].Sign * offset), 4));
            ApplyFill(legs[i].Symbol.ToString(), legs[i].Sign * quantity, legPrice);
            var leg = order.Legs[i];
            leg.FilledAveragePrice = decimal.Round((((leg.FilledAveragePrice ?? 0m) * order.FilledQuantity) + (legPrice * quantity)) / (order.FilledQuantity + quantity), 4);
        }

        var fees = _settings.FeesFor(quantity, legs.Count(l => l.Sign > 0), legs.Count(l => l.Sign < 0));
        _state.Cash -= (net * 100m * quantity) + fees;
        order.FeesDollars += fees;
        order.FilledAveragePrice = decimal.Round((((order.FilledAveragePrice ?? 0m) * order.FilledQuantity) + (net * quantity)) / (order.FilledQuantity + quantity), 4);
        order.FilledQuantity += quantity;
        order.Status = order.FilledQuantity == order.Quantity ? "filled" : "partially_filled";
        order.FilledAt = now;
    }

    private Random Draw(SimulatedOrderState order, DateTimeOffset now) =>
        new(unchecked((_settings.Seed * 1_000_003) + (int)(order.SubmittedAt.ToUnixTimeSeconds() % 1_000_000_007) + (order.OrderId.Length * 31) + (int)(now.ToUnixTimeSeconds() / 60)));

    private void ApplyFill(string symbol, int quantity, decimal price)
    {
        var p = _state.Positions.Find(x => x.Symbol == symbol);
        if (p is null)
        {
            _state.Positions.Add(new SimulatedPositionState { Symbol = symbol, Quantity = quantity, AverageEntryPrice = price });
            return;
        }

        var newQuantity = p.Quantity + quantity;
        if (Math.Sign(p.Quantity) == Math.Sign(quantity))
        {
            p.AverageEntryPrice = ((p.AverageEntryPrice * Math.Abs(p.Quantity)) + (price * Math.Abs(quantity))) / Math.Abs(newQuantity);
        }
        else if (newQuantity != 0 && Math.Sign(newQuantity) != Math.Sign(p.Quantity))
        {
            p.AverageEntryPrice = price; // flipped through zero: the remainder is a new position
        }

        p.Quantity = newQuantity;
        if (newQuantity == 0)
        {
            _state.Positions.Remove(p);
        }
    }

    private decimal Equity(DateTimeOffset now) =>
        _state.Cash + _state.Positions.Sum(p => p.Quantity * _model.SnapshotAt(OccSymbol.Parse(p.Symbol), now).Quote.Mid * 100m);

    private BrokerPosition ToPosition(SimulatedPositionState p, DateTimeOffset now)
    {
        var symbol = OccSymbol.Parse(p.Symbol);
        var mid = _model.SnapshotAt(symbol, now).Quote.Mid;
        var value = p.Quantity * mid * 100m;
        return new BrokerPosition(symbol, p.Quantity, p.AverageEntryPrice, Round(value), Round(value - (p.Quantity * p.AverageEntryPrice * 100m)));
    }

    private static BrokerOrder ToOrder(SimulatedOrderState o) => new(
        o.OrderId,
        o.ClientOrderId,
        AlpacaNames.ParseStatus(o.Status),
        o.Quantity,
        o.FilledQuantity,
        o.LimitPrice,
        o.FilledAveragePrice,
        o.SubmittedAt,
        o.FilledAt,
        o.Legs.Select(l =>
        {
            var side = AlpacaNames.ParseSide(l.Side);
            return new OrderLeg(OccSymbol.Parse(l.Symbol), side, AlpacaNames.ParseIntent(l.PositionIntent, side), l.RatioQuantity, l.FilledAveragePrice);
        }).ToList());

    /// <summary>
    /// The most the positions can lose at expiry, per expiration (dollars), or null when the loss is unbounded (net short calls).
    /// Payoffs are piecewise linear in the underlying, so checking zero and every strike finds the minimum.
    /// </summary>
    internal static decimal? Requirement(IEnumerable<(OccSymbol Symbol, int Quantity)> positions)
    {
        var total = 0m;
        foreach (var group in positions.Where(p => p.Quantity != 0).GroupBy(p => p.Symbol.Expiration))
        {
            if (group.Where(p => p.Symbol.Right == OptionRight.Call).Sum(p => p.Quantity) < 0)
            {
                return null;
            }

            var worst = 0m;
            foreach (var price in group.Select(p => p.Symbol.Strike).Append(0m))
            {
                var payoff = group.Sum(p => p.Quantity * Intrinsic(p.Symbol, price) * 100m);
                worst = Math.Min(worst, payoff);
            }

            total += -worst;
        }

        return total;
    }

    private static decimal Intrinsic(OccSymbol symbol, decimal underlying) =>
        symbol.Right == OptionRight.Call ? Math.Max(0m, underlying - symbol.Strike) : Math.Max(0m, symbol.Strike - underlying);

    private static int Sign(OrderSide side) => side == OrderSide.Buy ? 1 : -1;

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static SimulatedBrokerState Copy(SimulatedBrokerState state) =>
        JsonSerializer.Deserialize<SimulatedBrokerState>(JsonSerializer.Serialize(state, CopyOptions), CopyOptions)!;
}
