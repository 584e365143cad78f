using Microsoft.Extensions.Logging.Abstractions;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Gateway.Tests.Support;
using Trading.Storage.Tables;

namespace Trading.Gateway.Tests;

/// <summary>The table ledger over the storage team's in-memory tables (same ETag semantics, no emulator needed).</summary>
public sealed class InMemoryTablesLedgerTests
{
    [Fact]
    public async Task Concurrent_reservations_stop_at_the_cap_and_a_crash_is_released()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var service = InMemoryTables.CreateServiceClient(time);
        var options = new BudgetOptions { DailyLimitUsd = 1.00m, MonthlyLimitUsd = 25m, ReservationTimeoutMinutes = 5 };
        var ledgers = Enumerable.Range(0, 4).Select(_ => new TableBudgetLedger(service, options, time, NullLogger<TableBudgetLedger>.Instance)).ToList();

        var holds = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => ledgers[i % 4].TryReserveAsync(0.09m, false, false, CancellationToken.None)));

        Assert.Equal(11, holds.Count(x => x is not null)); // floor(1.00 / 0.09)
        time.Advance(TimeSpan.FromMinutes(5)); // every holder "crashed"
        Assert.Equal(1.00m, (await ledgers[0].GetStatusAsync(CancellationToken.None)).HeadroomUsd);
    }
}
