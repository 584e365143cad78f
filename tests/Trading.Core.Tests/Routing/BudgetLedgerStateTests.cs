using Trading.Core.Routing;

namespace Trading.Core.Tests.Routing;

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
}
