using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Gateway.Telemetry;
using Trading.TestKit.Storage;

namespace Trading.Gateway.Tests;

/// <summary>
/// What every <see cref="BudgetLedger"/> promises, run against Table Storage (Azurite) and in memory: a 50-caller burst never
/// overspends, a crashed holder's reservation is released after the timeout, settled amounts keep every decimal digit.
/// </summary>
public abstract class BudgetLedgerContractTests
{
    /// <summary>Ledger instances sharing one store (for the table: separate clients over one table, like separate processes).</summary>
    protected abstract IReadOnlyList<BudgetLedger> NewLedgers(BudgetOptions options, TimeProvider time, int count);

    private static BudgetOptions Options() => new()
    {
        DailyLimitUsd = 1.00m,
        MonthlyLimitUsd = 25m,
        ReservationTimeoutMinutes = 5,
        TableName = TestStorage.UniqueTableName("budget"),
    };

    [Fact]
    public async Task Fifty_concurrent_reservations_stop_at_the_cap_and_a_crash_is_released()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var ledgers = NewLedgers(Options(), time, 4);

        var holds = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            Task.Run(() => ledgers[i % ledgers.Count].TryReserveAsync(0.09m, false, false, CancellationToken.None))));

        Assert.Equal(11, holds.Count(x => x is not null)); // floor(1.00 / 0.09)
        Assert.Equal(0.99m, (await ledgers[0].GetStatusAsync(CancellationToken.None)).DaySpend.ReservedUsd);
        time.Advance(TimeSpan.FromMinutes(5)); // every holder "crashed"
        Assert.Equal(1.00m, (await ledgers[0].GetStatusAsync(CancellationToken.None)).HeadroomUsd);
    }

    [Fact]
    public async Task An_instance_decides_on_what_the_others_wrote_since_its_own_last_write()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var ledgers = NewLedgers(Options(), time, 2);
        var (a, b) = (ledgers[0], ledgers[1]);

        // b fills the day after a's last write: a must not admit more on what it wrote itself.
        Assert.NotNull(await a.TryReserveAsync(0.50m, false, false, CancellationToken.None));
        var bHold = await b.TryReserveAsync(0.50m, false, false, CancellationToken.None);
        Assert.NotNull(bHold);
        Assert.Null(await a.TryReserveAsync(0.10m, false, false, CancellationToken.None));

        await b.SettleAsync(bHold, 0m, CancellationToken.None);

        // b releases a's hold after a's last write: a must not refuse on what it wrote itself.
        var aHold = await a.TryReserveAsync(0.50m, false, false, CancellationToken.None);
        Assert.NotNull(aHold);
        await b.SettleAsync(aHold, 0m, CancellationToken.None);
        Assert.NotNull(await a.TryReserveAsync(0.50m, false, false, CancellationToken.None)); // its own copy says 1.50 with this one
        Assert.Equal(1.00m, (await b.GetStatusAsync(CancellationToken.None)).DaySpend.ReservedUsd);
    }

    [Fact]
    public async Task Settled_spend_keeps_every_decimal_digit_across_instances()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var ledgers = NewLedgers(Options(), time, 2);

        var hold = await ledgers[0].TryReserveAsync(0.5m, false, false, CancellationToken.None);
        await ledgers[0].SettleAsync(hold!, 0.1234567891234567891m, CancellationToken.None);
        await ledgers[0].SettleAsync(hold!, 0.3m, CancellationToken.None); // settled once only

        var status = await ledgers[1].GetStatusAsync(CancellationToken.None);
        Assert.Equal(0.1234567891234567891m, status.DaySpend.SettledUsd);
        Assert.Equal(0m, status.DaySpend.ReservedUsd);
    }
}

public sealed class AzuriteBudgetLedgerContractTests : BudgetLedgerContractTests
{
    protected override IReadOnlyList<BudgetLedger> NewLedgers(BudgetOptions options, TimeProvider time, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new TableBudgetLedger(TestStorage.CreateServiceClient(), options, time, NullLogger<TableBudgetLedger>.Instance))];
}

public sealed class InMemoryBudgetLedgerContractTests : BudgetLedgerContractTests
{
    protected override IReadOnlyList<BudgetLedger> NewLedgers(BudgetOptions options, TimeProvider time, int count)
    {
        // One process: the instances are one ledger.
        var ledger = new InMemoryBudgetLedger(options, time, NullLogger<InMemoryBudgetLedger>.Instance);
        return [.. Enumerable.Repeat<BudgetLedger>(ledger, count)];
    }
}

/// <summary>What every <see cref="CallRecordStore"/> promises, against Table Storage (Azurite) and in memory.</summary>
public abstract class CallRecordStoreContractTests
{
    protected abstract CallRecordStore NewStore();

    [Fact]
    public async Task Records_are_read_back_by_day_with_every_field()
    {
        var store = NewStore();
        var at = new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
        var record = new GatewayCallRecord
        {
            CallId = "c1", StartedUtc = at, Day = "2026-11-20", RunId = "run-1", Kind = "chat", TaskType = "options_analysis",
            Complexity = "COMPLEX", RequestedModel = "kimi-k2", ServedModel = "mistral-medium", SelectionReason = "Downgraded",
            SplitVariant = "b", IsShadow = true, ShadowOf = "c0", AgreedWithPrimary = false,
            Attempts = [new GatewayAttempt("kimi-k2", "ServerError", 503, 12.5)],
            InputTokens = 1200, CachedInputTokens = 200, OutputTokens = 300, ReasoningTokens = 50,
            CostUsd = 0.0001234567891234m, CostEstimated = true, LatencyMs = 60, Outcome = "succeeded", FailureReason = null,
        };
        await store.AppendAsync(record, CancellationToken.None);
        await store.AppendAsync(record with { CallId = "c2", Day = "2026-11-21" }, CancellationToken.None);

        var day = await store.ReadDayAsync("2026-11-20", CancellationToken.None);

        var read = Assert.Single(day);
        Assert.Equal(record.CostUsd, read.CostUsd);
        Assert.Equal(60d, read.LatencyMs);
        Assert.Equal(at, read.StartedUtc);
        Assert.Equal(record.Attempts, read.Attempts);
        Assert.Equal(record with { Attempts = read.Attempts }, read);
        Assert.Empty(await store.ReadDayAsync("2026-11-19", CancellationToken.None));
    }
}

public sealed class AzuriteCallRecordStoreTests : CallRecordStoreContractTests
{
    protected override CallRecordStore NewStore() => new TableCallRecordStore(TestStorage.CreateServiceClient(), TestStorage.UniqueTableName("calls"));
}

public sealed class InMemoryCallRecordStoreTests : CallRecordStoreContractTests
{
    protected override CallRecordStore NewStore() => new InMemoryCallRecordStore();
}
