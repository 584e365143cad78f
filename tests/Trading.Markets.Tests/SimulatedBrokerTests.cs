using System.Text.Json;
using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Calendar;
using Trading.Markets.Simulation;
using Trading.TestKit.Markets;

namespace Trading.Markets.Tests;

public sealed class SimulatedBrokerTests
{
    // Monday 2026-03-02 10:30 ET.
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 15, 30, 0, TimeSpan.Zero);
    private readonly InstantTimeProvider _time = new(MondayMorning);
    private readonly SimulationSettings _settings = new();
    private readonly OptionChainModel _model;
    private readonly SimulatedBroker _broker;

    public SimulatedBrokerTests()
    {
        _model = new OptionChainModel(new PricePath(_settings), _settings);
        _broker = new SimulatedBroker(_model, _settings, _time);
    }

    [Fact]
    public async Task A_fresh_account_has_100000_dollars_and_level_3()
    {
        var account = await _broker.GetAccountAsync(default);

        Assert.Equal(100_000m, account.Equity);
        Assert.Equal(100_000m, account.OptionsBuyingPower);
        Assert.Equal(3, account.OptionsTradingLevel);
        Assert.True(account.IsPaper);
        Assert.True(_broker.IsSimulated);
    }

    [Fact]
    public async Task A_marketable_condor_fills_at_the_natural_plus_slippage_pays_fees_and_reports_each_leg()
    {
        var (legs, _, width) = Condor();
        var natural = NaturalCredit(legs);
        var credit = natural - _settings.SlippagePerOrderDollars;

        var order = await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-1-open", 2, natural - 0.05m, legs), default);
        var account = await _broker.GetAccountAsync(default);
        var fees = _settings.FeesFor(2, 2, 2);

        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(-credit, order.FilledAveragePrice!.Value, 2);
        Assert.Equal(credit, MultiLegFill.Credit(order, natural - 0.05m, width).Booked, 2);
        Assert.Null(MultiLegFill.Credit(order, natural - 0.05m, width).Problem);
        Assert.All(order.Legs, l => Assert.NotNull(l.FilledAveragePrice));
        Assert.Equal(100_000m + (credit * 200m) - fees, account.Cash, 2);
        Assert.Equal(0.42276m, fees); // 2 contracts × (4 legs × $0.05145 + 2 sells × $0.00279)
    }

    [Fact]
    public async Task A_limit_between_mid_and_natural_rests_and_fills_by_a_seeded_chance_that_repeats()
    {
        var (legs, mid, _) = Condor();
        var limit = Math.Round((mid + NaturalCredit(legs)) / 2, 2);

        async Task<DateTimeOffset?> FillTimeAsync()
        {
            var time = new InstantTimeProvider(MondayMorning);
            var broker = new SimulatedBroker(_model, _settings, time);
            var order = await broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-rest", 1, limit, legs), default);
            for (var i = 0; i < 12 && order.Status != OrderStatus.Filled; i++)
            {
                time.Advance(TimeSpan.FromMinutes(30));
                order = (await broker.GetOrderAsync(order.OrderId, default))!;
            }

            return order.Status == OrderStatus.Filled ? order.FilledAt : null;
        }

        var first = await FillTimeAsync();
        Assert.NotNull(first);
        Assert.True(first > MondayMorning, "a limit inside the spread does not fill at once");
        Assert.Equal(first, await FillTimeAsync());
    }

    [Fact]
    public async Task Pessimistic_fills_take_only_limits_at_or_beyond_the_natural_and_fill_them_at_the_limit()
    {
        var settings = new SimulationSettings { Fills = FillModels.Pessimistic };
        var broker = new SimulatedBroker(_model, settings, _time);
        var (legs, mid, _) = Condor();
        var natural = NaturalCredit(legs);

        // Halfway between mid and natural: the realistic model may fill it, the pessimistic one never does.
        var inside = await broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-in", 1, Math.Round((mid + natural) / 2, 2), legs), default);
        Assert.Equal(OrderStatus.New, inside.Status);
        Assert.Equal(OrderStatus.New, (await broker.GetOrderAsync(inside.OrderId, default))!.Status);

        var atNatural = await broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-nat", 1, natural - 0.03m, legs), default);
        Assert.Equal(OrderStatus.Filled, atNatural.Status);
        Assert.Equal(-(natural - 0.03m), atNatural.FilledAveragePrice);
    }

    [Fact]
    public async Task A_limit_better_than_the_market_rests_then_expires_at_the_close()
    {
        var (legs, mid, _) = Condor();

        var order = await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-greedy", 1, mid + 1m, legs), default);
        Assert.Equal(OrderStatus.New, order.Status);

        _time.SetUtcNow(NyseCalendar.CloseAt(new DateOnly(2026, 3, 2)).AddMinutes(1));
        var later = await _broker.GetOrderAsync(order.OrderId, default);

        Assert.Equal(OrderStatus.Expired, later!.Status);
        Assert.Empty(await _broker.GetPositionsAsync(default));
    }

    [Fact]
    public async Task The_same_client_order_id_places_one_order()
    {
        var (legs, mid, _) = Condor();
        var order = MultiLegOrder.OpenForCredit("ic-run-9", 1, mid - 0.1m, legs);

        var first = await _broker.PlaceOrderAsync(order, default);
        var second = await _broker.PlaceOrderAsync(order, default);

        Assert.Equal(first.OrderId, second.OrderId);
        Assert.All(await _broker.GetPositionsAsync(default), p => Assert.Equal(1, Math.Abs(p.Quantity)));
    }

    [Fact]
    public async Task Orders_are_refused_like_alpaca_when_closed_beyond_buying_power_or_permission()
    {
        var (legs, mid, _) = Condor();

        var tooBig = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-big", 500, mid - 0.1m, legs), default));
        Assert.Equal("buying_power", tooBig.Reason);
        Assert.Equal(403, tooBig.HttpStatus);

        var nakedCall = new List<OrderLeg> { legs[2], new(legs[0].Symbol, OrderSide.Buy, PositionIntent.BuyToOpen) };
        var naked = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-naked", 1, 0.5m, nakedCall), default));
        Assert.Equal("permission", naked.Reason);

        var level2 = new SimulatedBroker(_model, new SimulationSettings { OptionsTradingLevel = 2 }, _time);
        var permission = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            level2.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-l2", 1, mid - 0.1m, legs), default));
        Assert.Equal("permission", permission.Reason);

        var closeNothing = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            _broker.PlaceOrderAsync(ClosingOrders.For("x1-run-x", legs.Select(l => new BrokerPosition(l.Symbol, l.Side == OrderSide.Sell ? -1 : 1, 1m, 0m, 0m)), 1, 5m), default));
        Assert.Equal("validation", closeNothing.Reason);

        _time.SetUtcNow(new DateTimeOffset(2026, 3, 7, 15, 0, 0, TimeSpan.Zero)); // Saturday
        var closed = await Assert.ThrowsAsync<OrderRejectedException>(() =>
            _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-sat", 1, mid - 0.1m, legs), default));
        Assert.Equal("market_closed", closed.Reason);
    }

    [Fact]
    public async Task Expired_positions_are_settled_physically_at_the_next_open()
    {
        var (legs, mid, _) = Condor();
        await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-s", 1, mid - 0.1m, legs), default);
        var cashAfterOpen = (await _broker.GetAccountAsync(default)).Cash;

        var expiration = legs[0].Symbol.Expiration;
        _time.SetUtcNow(NyseCalendar.CloseAt(expiration).AddHours(2));
        Assert.Equal(4, (await _broker.GetPositionsAsync(default)).Count); // assigned shares are unwound at the next open, not before

        var next = NyseCalendar.NextTradingDayOnOrAfter(expiration.AddDays(1));
        _time.SetUtcNow(NyseCalendar.OpenAt(next).AddMinutes(1));
        var account = await _broker.GetAccountAsync(default);
        var state = _broker.ExportState();

        Assert.Empty(await _broker.GetPositionsAsync(default));
        var close = Math.Round((decimal)_model.Path.DayOnOrBefore(expiration).Close, 2, MidpointRounding.AwayFromZero);
        var open = Math.Round((decimal)_model.Path.DayOnOrBefore(next).Open, 2, MidpointRounding.AwayFromZero);
        var expected = legs.Sum(l => (l.Side == OrderSide.Buy ? 1 : -1) * PhysicalSettlement.ValuePerShare(l.Symbol.Right, l.Symbol.Strike, close, open) * 100m);
        Assert.Equal(cashAfterOpen + expected, account.Cash);
        Assert.Equal(account.Cash, account.Equity);
        Assert.Equal(4, state.Settlements.Count);
        Assert.Equal(expected, state.Settlements.Sum(s => s.CashAmount));
    }

    [Fact]
    public async Task Closing_the_condor_as_one_order_flattens_the_positions()
    {
        var (legs, mid, _) = Condor();
        await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-c", 1, mid - 0.1m, legs), default);
        _time.Advance(TimeSpan.FromHours(2));
        var positions = await _broker.GetPositionsAsync(default);
        var debit = -positions.Sum(p => p.MarketValue) / 100m + 0.10m;

        var close = await _broker.PlaceOrderAsync(ClosingOrders.For("x1-run-c", positions, 1, Math.Round(debit, 2)), default);

        Assert.Equal(OrderStatus.Filled, close.Status);
        Assert.True(close.FilledAveragePrice > 0);
        Assert.Empty(await _broker.GetPositionsAsync(default));
    }

    [Fact]
    public async Task State_exports_as_json_and_imports_into_a_new_broker()
    {
        var (legs, mid, _) = Condor();
        var placed = await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-p", 1, mid - 0.1m, legs), default);
        var json = JsonSerializer.Serialize(_broker.ExportState());

        var restored = new SimulatedBroker(_model, _settings, _time);
        restored.ImportState(JsonSerializer.Deserialize<SimulatedBrokerState>(json)!);

        Assert.Equal(await _broker.GetAccountAsync(default), await restored.GetAccountAsync(default));
        Assert.Equal((await _broker.GetPositionsAsync(default)).Count, (await restored.GetPositionsAsync(default)).Count);
        Assert.Equal(placed.OrderId, (await restored.GetOrderByClientIdAsync("run-p", default))!.OrderId);
        var again = await restored.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-p", 1, mid - 0.1m, legs), default);
        Assert.Equal(placed.OrderId, again.OrderId);
    }

    [Fact]
    public async Task A_resting_order_can_be_canceled_once_and_reads_back_canceled_unfilled()
    {
        var (legs, mid, _) = Condor();
        var order = await _broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-w", 1, mid + 2m, legs), default);
        _time.Advance(TimeSpan.FromMinutes(5));
        var resting = await _broker.GetOrderAsync(order.OrderId, default);

        await _broker.CancelOrderAsync(order.OrderId, default);
        var canceled = await _broker.GetOrderAsync(order.OrderId, default);

        Assert.False(resting!.IsTerminal);
        Assert.Equal(OrderStatus.Canceled, canceled!.Status);
        Assert.Equal(0, canceled.FilledQuantity);
        await Assert.ThrowsAsync<OrderRejectedException>(() => _broker.CancelOrderAsync(order.OrderId, default));
    }

    private decimal NaturalCredit(IReadOnlyList<OrderLeg> legs) => legs.Sum(l =>
    {
        var quote = _model.SnapshotAt(l.Symbol, _time.GetUtcNow()).Quote;
        return l.Side == OrderSide.Sell ? quote.Bid : -quote.Ask;
    });

    // A 15-delta iron condor with $5 wings on the Friday 30-45 days out, and its net mid credit.
    private (List<OrderLeg> Legs, decimal Mid, decimal Width) Condor() => SimulatedCondor.At(_model, _time.GetUtcNow());
}
