using Azure.Data.Tables;
using Trading.Core.Markets;
using Trading.Markets.Calendar;
using Trading.Markets.Simulation;
using Trading.Pipeline.State;
using Trading.Pipeline.Tests.Support;
using Trading.TestKit.Markets;
using Trading.TestKit.Storage;

namespace Trading.Pipeline.Tests.Hosting;

/// <summary>The simulated account kept in Table Storage (Azurite): one account across "processes" (separate broker instances).</summary>
public sealed class StoredSimulatedBrokerTests
{
    // Monday 2026-03-02 10:30 ET.
    private static readonly DateTimeOffset MondayMorning = new(2026, 3, 2, 15, 30, 0, TimeSpan.Zero);
    private readonly ManualTime _time = new(MondayMorning);
    private readonly SimulationSettings _settings = new();
    private readonly OptionChainModel _model;
    private readonly PipelineTables _tables;

    public StoredSimulatedBrokerTests()
    {
        _model = new OptionChainModel(new PricePath(_settings), _settings);
        _tables = new PipelineTables(
            new TableServiceClient(TestStorage.ConnectionString),
            new PipelineTablesOptions { TablePrefix = "b" + Guid.NewGuid().ToString("N")[..10] });
    }

    private StoredSimulatedBroker Process() => new(new SimulatedBroker(_model, _settings, _time), _tables);

    [Fact]
    public async Task A_fill_in_one_process_is_the_account_of_the_next()
    {
        using var first = Process();
        var (legs, mid) = Condor();
        var order = await first.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-1-open", 2, mid - 0.10m, legs), default);
        Assert.Equal(OrderStatus.Filled, order.Status);
        var afterFill = await first.GetAccountAsync(default);

        using var second = Process();
        var account = await second.GetAccountAsync(default);
        var positions = await second.GetPositionsAsync(default);

        Assert.Equal(afterFill.Cash, account.Cash);
        Assert.True(account.Cash > 100_000m, "the credit was received");
        Assert.Equal(afterFill.OptionsBuyingPower, account.OptionsBuyingPower);
        Assert.Equal(4, positions.Count);
        Assert.Equal(order.OrderId, (await second.GetOrderByClientIdAsync("run-1-open", default))!.OrderId);
    }

    [Fact]
    public async Task The_same_client_order_id_from_another_process_is_still_one_order()
    {
        using var first = Process();
        using var second = Process();
        var (legs, mid) = Condor();
        var order = MultiLegOrder.OpenForCredit("run-2-open", 1, mid - 0.10m, legs);

        var a = await first.PlaceOrderAsync(order, default);
        var b = await second.PlaceOrderAsync(order, default);

        Assert.Equal(a.OrderId, b.OrderId);
        Assert.Equal(4, (await first.GetPositionsAsync(default)).Count);
        Assert.All(await first.GetPositionsAsync(default), p => Assert.Equal(1, Math.Abs(p.Quantity)));
    }

    [Fact]
    public async Task Concurrent_orders_from_several_processes_are_all_kept()
    {
        var processes = Enumerable.Range(0, 8).Select(_ => Process()).ToList();
        var (legs, mid) = Condor();

        var placed = await Task.WhenAll(processes.SelectMany((p, i) => new[]
        {
            p.PlaceOrderAsync(MultiLegOrder.OpenForCredit($"run-{i}-a", 1, mid - 0.10m, legs), default),
            p.PlaceOrderAsync(MultiLegOrder.OpenForCredit($"run-{i}-b", 1, mid - 0.10m, legs), default),
        }));

        Assert.Equal(16, placed.Select(o => o.OrderId).Distinct().Count());
        using var reader = Process();
        foreach (var order in placed)
            Assert.NotNull(await reader.GetOrderByClientIdAsync(order.ClientOrderId, default));
        Assert.All(await reader.GetPositionsAsync(default), p => Assert.Equal(16, Math.Abs(p.Quantity)));
        processes.ForEach(p => p.Dispose());
    }

    [Fact]
    public async Task A_refused_order_and_plain_reads_leave_the_stored_account_untouched()
    {
        using var broker = Process();
        await broker.GetAccountAsync(default); // creates the account row
        var before = await _tables.Control.GetAsync<SimulatedBrokerState>("simulated-broker", "account", default);
        Assert.NotNull(before);

        _time.Set(NyseCalendar.CloseAt(new DateOnly(2026, 3, 2)).AddHours(2)); // market closed
        var (legs, mid) = Condor();
        await Assert.ThrowsAsync<OrderRejectedException>(() =>
            broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit("run-closed", 1, mid, legs), default));
        await broker.GetAccountAsync(default);
        await broker.GetPositionsAsync(default);

        var after = await _tables.Control.GetAsync<SimulatedBrokerState>("simulated-broker", "account", default);
        Assert.Equal(before.ETag, after!.ETag);
        Assert.Empty(after.Value.Orders);
    }

    [Fact]
    public void Compaction_keeps_open_orders_and_the_latest_closed_history()
    {
        var state = new SimulatedBrokerState();
        var start = new DateTimeOffset(2026, 1, 1, 15, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 300; i++)
        {
            state.Orders.Add(new SimulatedOrderState { OrderId = $"sim-{i}", Status = i % 50 == 0 ? "new" : "filled", SubmittedAt = start.AddHours(i) });
            state.Settlements.Add(new SimulatedSettlementState { Symbol = $"S{i}" });
        }

        var compacted = StoredSimulatedBroker.Compact(state);

        Assert.All(Enumerable.Range(0, 6), k => Assert.Contains(compacted.Orders, o => o.OrderId == $"sim-{k * 50}"));
        Assert.Equal(StoredSimulatedBroker.KeptHistory, compacted.Orders.Count(o => o.Status != "new"));
        Assert.Contains(compacted.Orders, o => o.OrderId == "sim-299");
        Assert.DoesNotContain(compacted.Orders, o => o.OrderId == "sim-1");
        Assert.Equal(StoredSimulatedBroker.KeptHistory, compacted.Settlements.Count);
        Assert.Equal("S299", compacted.Settlements[^1].Symbol);
    }

    private (List<OrderLeg> Legs, decimal Mid) Condor()
    {
        var (legs, mid, _) = SimulatedCondor.At(_model, MondayMorning);
        return (legs, mid);
    }
}
