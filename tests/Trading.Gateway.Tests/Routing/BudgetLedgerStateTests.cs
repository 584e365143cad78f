using Trading.Gateway.Routing;

namespace Trading.Gateway.Tests.Routing;

public sealed class BudgetLedgerStateTests
{
    private static readonly BudgetLimits Limits = new(1.00m, 10m);
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 15, 0, 0, TimeSpan.Zero);

    private static BudgetReservation R(string id, decimal amount, bool critical = false, int minutes = 10) =>
        new(id, "2026-11-21", amount, Now.AddMinutes(minutes), critical);

    [Fact]
    public void Reservations_are_admitted_until_the_day_cap_and_critical_ones_always()
    {
        var s = new BudgetLedgerState("2026-11");
        Assert.True(s.TryReserve(R("a", 0.60m), Limits, Now));
        Assert.True(s.TryReserve(R("b", 0.40m), Limits, Now));
        Assert.False(s.TryReserve(R("c", 0.01m), Limits, Now));
        Assert.True(s.TryReserve(R("d", 5m, critical: true), Limits, Now));
        Assert.Equal(6.00m, s.Month(Limits, Now).ReservedUsd);
        Assert.Equal(0m, s.HeadroomUsd("2026-11-21", Limits, Now));
    }

    [Fact]
    public void Settle_replaces_the_reservation_by_the_real_cost_once()
    {
        var s = new BudgetLedgerState("2026-11");
        s.TryReserve(R("a", 0.60m), Limits, Now);
        s.Settle("a", "2026-11-21", 0.25m);
        s.Settle("a", "2026-11-21", 0.25m); // a retried write
        Assert.Equal(0.25m, s.MonthSettledUsd);
        Assert.Equal(0.75m, s.HeadroomUsd("2026-11-21", Limits, Now));
        Assert.False(s.Holds("a"));
    }

    [Fact]
    public void Expired_reservations_stop_counting_and_are_swept()
    {
        var s = new BudgetLedgerState("2026-11");
        s.TryReserve(R("a", 1.00m, minutes: 5), Limits, Now);
        Assert.Equal(0m, s.HeadroomUsd("2026-11-21", Limits, Now));
        Assert.Equal(1.00m, s.HeadroomUsd("2026-11-21", Limits, Now.AddMinutes(5)));
        Assert.Equal(1, s.ExpireReservations(Now.AddMinutes(5)));
        s.Settle("a", "2026-11-21", 0.10m); // late settle after expiry still books the real cost
        Assert.Equal(0.90m, s.HeadroomUsd("2026-11-21", Limits, Now.AddMinutes(6)));
    }

    [Fact]
    public void Month_cap_binds_across_days()
    {
        var s = new BudgetLedgerState("2026-11");
        s.Settle("x", "2026-11-20", 9.50m);
        Assert.Equal(0.50m, s.HeadroomUsd("2026-11-21", Limits, Now));
        Assert.False(s.TryReserve(R("a", 0.51m), Limits, Now));
    }

    [Fact]
    public void At_least_the_last_SettledIdMemory_settlements_are_never_booked_twice()
    {
        var s = new BudgetLedgerState("2026-11");
        const int settled = 1_000;
        for (var i = 0; i < settled; i++)
            s.Settle($"id-{i}", "2026-11-21", 0.01m);

        for (var i = settled - BudgetLedgerState.SettledIdMemory; i < settled; i++)
            s.Settle($"id-{i}", "2026-11-21", 0.01m); // retried writes of every remembered settlement

        Assert.Equal(10.00m, s.MonthSettledUsd);
        Assert.InRange(s.RecentlySettledIds.Count, BudgetLedgerState.SettledIdMemory, BudgetLedgerState.SettledIdMemory + BudgetLedgerState.SettledIdBatch);
        Assert.Equal($"id-{settled - 1}", s.RecentlySettledIds[^1]);
        Assert.Equal(s.RecentlySettledIds.Count, s.RecentlySettledIds.Distinct().Count());
    }

    [Fact]
    public void A_restored_ledger_remembers_the_last_SettledIdMemory_ids_in_order()
    {
        var s = new BudgetLedgerState("2026-11");
        for (var i = 0; i < 300; i++)
            s.Settle($"id-{i}", "2026-11-21", 0.01m);

        var restored = Restore(s);
        restored.Settle("id-299", "2026-11-21", 5m); // remembered: not booked again
        restored.Settle("id-10", "2026-11-21", 5m); // forgotten long ago: booked

        Assert.Equal([.. s.RecentlySettledIds.TakeLast(BudgetLedgerState.SettledIdMemory), "id-10"], restored.RecentlySettledIds);
        Assert.Equal(8.00m, restored.MonthSettledUsd);
    }

    [Fact]
    public void Settling_through_store_round_trips_keeps_the_stored_ids_bounded()
    {
        // A table store loads the ledger before every change and saves it after: the list it saves must not grow.
        var s = new BudgetLedgerState("2026-11");
        for (var i = 0; i < 1_000; i++)
        {
            s = Restore(s);
            s.Settle($"id-{i}", "2026-11-21", 0.01m);
        }

        Assert.InRange(s.RecentlySettledIds.Count, BudgetLedgerState.SettledIdMemory, BudgetLedgerState.SettledIdMemory + BudgetLedgerState.SettledIdBatch);
        Assert.Equal("id-999", s.RecentlySettledIds[^1]);
        Assert.Equal(10.00m, s.MonthSettledUsd);
    }

    private static BudgetLedgerState Restore(BudgetLedgerState s) =>
        new(s.MonthKey, s.MonthSettledUsd, s.DaySettledUsd.ToDictionary(), s.Reservations, s.RecentlySettledIds);

    [Fact]
    public void A_clone_and_its_source_change_independently()
    {
        var source = new BudgetLedgerState("2026-11");
        source.TryReserve(R("a", 0.30m), Limits, Now);
        source.Settle("x", "2026-11-21", 0.10m);

        var clone = source.Clone();
        clone.TryReserve(R("b", 0.20m), Limits, Now);
        clone.Settle("a", "2026-11-21", 0.25m);
        clone.Settle("y", "2026-11-20", 0.50m);

        Assert.Equal(["a"], source.Reservations.Select(r => r.Id));
        Assert.Equal(0.10m, source.MonthSettledUsd);
        Assert.Equal(0.10m, Assert.Single(source.DaySettledUsd).Value);
        Assert.Equal(["x"], source.RecentlySettledIds);
        Assert.Equal(["b"], clone.Reservations.Select(r => r.Id));
        Assert.Equal(0.85m, clone.MonthSettledUsd);
        Assert.Equal(["x", "a", "y"], clone.RecentlySettledIds);
    }

    [Fact]
    public void Expiry_keeps_live_reservations_in_order()
    {
        var s = new BudgetLedgerState("2026-11");
        s.TryReserve(R("a", 0.1m, minutes: 1), Limits, Now);
        s.TryReserve(R("b", 0.1m, minutes: 9), Limits, Now);
        s.TryReserve(R("c", 0.1m, minutes: 2), Limits, Now);
        s.TryReserve(R("d", 0.1m, minutes: 9), Limits, Now);

        Assert.Equal(2, s.ExpireReservations(Now.AddMinutes(2)));
        Assert.Equal(["b", "d"], s.Reservations.Select(r => r.Id));
        Assert.Equal(0.2m, s.Month(Limits, Now.AddMinutes(2)).ReservedUsd);
    }
}
