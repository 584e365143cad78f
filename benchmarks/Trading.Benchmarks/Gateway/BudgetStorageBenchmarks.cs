using Azure.Data.Tables;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Storage.Local;

namespace Trading.Benchmarks.Gateway;

/// <summary>
/// What reserve + settle in Table Storage (Azurite) add per call: two ETag-conditional read-modify-write round trips.
/// Uses TRADING_TEST_STORAGE when set (an Azurite connection string), else starts its own Azurite.
/// Run: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- --filter '*BudgetStorage*'
/// </summary>
[MemoryDiagnoser]
public class BudgetStorageBenchmarks
{
    private AzuriteProcess? _azurite;
    private TableBudgetLedger _ledger = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connection = Environment.GetEnvironmentVariable("TRADING_TEST_STORAGE");
        if (string.IsNullOrEmpty(connection))
        {
            _azurite = await AzuriteProcess.StartAsync();
            connection = _azurite.ConnectionString;
        }

        try
        {
            await PrepareAsync(connection);
        }
        catch
        {
            // A failed setup ends the process without GlobalCleanup: leave no Azurite behind.
            if (_azurite is not null)
                await _azurite.DisposeAsync();
            throw;
        }
    }

    private async Task PrepareAsync(string connection)
    {
        var options = new BudgetOptions { DailyLimitUsd = 1_000_000m, MonthlyLimitUsd = 1_000_000m, TableName = "benchbudget" + Guid.NewGuid().ToString("N")[..8] };
        _ledger = new TableBudgetLedger(new TableServiceClient(connection), options, TimeProvider.System, NullLogger<TableBudgetLedger>.Instance);

        // Azurite (Node.js) speeds up over its first seconds; measure it warm.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < until)
            await ReserveAndSettle();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_azurite is not null)
            await _azurite.DisposeAsync();
    }

    [Benchmark]
    public async Task ReserveAndSettle()
    {
        var hold = await _ledger.TryReserveAsync(0.001m, false, false, CancellationToken.None);
        await _ledger.SettleAsync(hold!, 0.0005m, CancellationToken.None);
    }
}
