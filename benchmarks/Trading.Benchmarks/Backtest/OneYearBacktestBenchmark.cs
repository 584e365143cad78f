using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Trading.Cli.Backtest;
using Trading.Cli.Commands;
using Trading.Cli.Configuration;
using Trading.Markets.Simulation;

namespace Trading.Benchmarks.Backtest;

/// <summary>
/// What a user waits for when comparing variants and seeds: `trading backtest` over one year (2025, 250 sessions) with the
/// default settings and realistic fills. Target: under 10 s on the 2-core build machine. Each invocation is a whole backtest,
/// so a few iterations are enough: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- --filter '*OneYearBacktest*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class OneYearBacktestBenchmark
{
    private BacktestEngine _engine = null!;

    [Params(42, 1)]
    public int Seed { get; set; }

    [Params(FillModels.Realistic, FillModels.Pessimistic)]
    public string Fills { get; set; } = FillModels.Realistic;

    [GlobalSetup]
    public void Setup() =>
        _engine = new BacktestEngine(CliSettings.Build(CliSettings.FindContentRoot(AppContext.BaseDirectory), null));

    [Benchmark]
    public async Task<int> OneYear()
    {
        var report = await _engine.RunAsync(new BacktestArguments(new DateOnly(2025, 1, 2), new DateOnly(2025, 12, 31), Seed, [], false, null, Fills), null, CancellationToken.None);
        return report.Trades;
    }
}
