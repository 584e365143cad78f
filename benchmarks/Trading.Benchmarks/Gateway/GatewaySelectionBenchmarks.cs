using BenchmarkDotNet.Attributes;
using Trading.Gateway.Routing;

namespace Trading.Benchmarks.Gateway;

/// <summary>BATS selection plus the in-memory budget decision (target: under 20 µs per call).</summary>
[MemoryDiagnoser]
public class GatewaySelectionBenchmarks
{
    private static readonly BudgetLimits Limits = new(0.83m, 25m);
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private ModelSelector _selector = null!;
    private BudgetLedgerState _ledger = null!;
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var policy = new RoutingPolicy
        {
            Splits = new Dictionary<string, TrafficSplit>
            {
                ["options_analysis"] = new("options_analysis", [new SplitVariant(ModelRegistry.KimiK2, 90), new SplitVariant(ModelRegistry.DeepSeekR1, 10)]),
            },
        };
        _selector = new ModelSelector(ModelRegistry.Default, policy);
        _ledger = new BudgetLedgerState("2026-11");
        for (var i = 0; i < 20; i++)
            _ledger.Settle("s" + i, "2026-11-20", 0.01m);
    }

    [Benchmark]
    public bool SelectAndDecide()
    {
        var day = BudgetWindow.DayOf(Now, _zone);
        var headroom = _ledger.HeadroomUsd(day.Key, Limits, Now);
        var s = _selector.Select("options_analysis", "run-" + (_i++ & 1023), 4000, 800, headroom);
        var ok = _ledger.TryReserve(new BudgetReservation("r", day.Key, s.EstimatedCostUsd, Now.AddMinutes(10), false), Limits, Now);
        _ledger.Settle("r", day.Key, 0m);
        return ok;
    }

    [Benchmark]
    public ModelSelection SelectCritical() => _selector.Select("trade_execution", "run-1", 4000, 800, 0m);
}
