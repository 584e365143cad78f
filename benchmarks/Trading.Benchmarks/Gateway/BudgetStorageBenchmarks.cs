using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Storage.Tables;

namespace Trading.Benchmarks.Gateway;

/// <summary>
/// What reserve + settle in Table Storage (Azurite) add per call. Needs TRADING_TEST_STORAGE (an Azurite connection string);
/// without it the benchmark refuses to run rather than measuring nothing.
/// </summary>
public class BudgetStorageBenchmarks
{
    private TableBudgetLedger _ledger = null!;

    [GlobalSetup]
    public void Setup()
    {
        var connection = Environment.GetEnvironmentVariable("TRADING_TEST_STORAGE")
            ?? throw new InvalidOperationException("Set TRADING_TEST_STORAGE to an Azurite connection string to run BudgetStorageBenchmarks.");
        var options = new BudgetOptions { DailyLimitUsd = 1_000_000m, MonthlyLimitUsd = 1_000_000m, TableName = "benchbudget" + Guid.NewGuid().ToString("N")[..8] };
        _ledger = new TableBudgetLedger(new TableServiceClient(connection), options, TimeProvider.System, NullLogger<TableBudgetLedger>.Instance);
        _ledger.GetStatusAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public async Task ReserveAndSettle()
    {
        var hold = await _ledger.TryReserveAsync(0.001m, false, false, CancellationToken.None);
        await _ledger.SettleAsync(hold!, 0.0005m, CancellationToken.None);
    }
}
