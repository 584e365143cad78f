using BenchmarkDotNet.Attributes;
using Trading.Core.Condors;
using Trading.Core.Options;

namespace Trading.Benchmarks.Core;

/// <summary>Price and greeks of one option, and an implied-volatility solve.</summary>
[MemoryDiagnoser]
public class CoreOptionPricingBenchmarks
{
    [Benchmark]
    public double PriceAndGreeks()
    {
        var (price, greeks) = BlackScholes.PriceWithGreeks(OptionRight.Put, 600, 570, 31 / 365.0, 0.04, 0.012, 0.18);
        return price + greeks.Delta;
    }

    [Benchmark]
    public double ImpliedVolatilitySolve() =>
        ImpliedVolatility.Solve(OptionRight.Put, 1.85, 600, 570, 31 / 365.0, 0.04, 0.012).Volatility;
}

/// <summary>Building an iron condor from a 2,000-contract chain (4 expirations × 250 strikes × call and put).</summary>
[MemoryDiagnoser]
public class CoreCondorBuildBenchmarks
{
    private static readonly DateTimeOffset AsOf = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);
    private OptionChain _chain = null!;
    private IronCondorBuilder _builder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var contracts = new List<OptionSnapshot>();
        foreach (var dte in new[] { 10, 31, 45, 60 })
        {
            var expiry = DateOnly.FromDateTime(AsOf.Date).AddDays(dte);
            var years = ExpirationTime.YearsUntil(expiry, AsOf);
            for (var k = 475m; k < 725m; k += 1m)
            {
                foreach (var right in new[] { OptionRight.Put, OptionRight.Call })
                {
                    var (price, greeks) = BlackScholes.PriceWithGreeks(right, 600, (double)k, years, 0.04, 0.012, 0.18);
                    var mid = Math.Round((decimal)price, 2);
                    contracts.Add(new OptionSnapshot(new OccSymbol("SPY", expiry, right, k), new OptionQuote(Math.Max(mid - 0.01m, 0), mid + 0.01m), greeks, 0.18));
                }
            }
        }

        _chain = new OptionChain("SPY", 600m, AsOf, contracts);
        if (_chain.Count != 2000)
        {
            throw new InvalidOperationException($"expected 2,000 contracts, got {_chain.Count}");
        }

        _builder = new IronCondorBuilder(new CondorSettings());
        if (!_builder.Build(_chain, AsOf).Succeeded)
        {
            throw new InvalidOperationException("the benchmark chain must produce a condor");
        }
    }

    [Benchmark]
    public IronCondor? BuildCondor() => _builder.Build(_chain, AsOf).Condor;

    [Benchmark]
    public double AtTheMoneyVolatility30Day() => AtTheMoneyVolatility.Compute(_chain, 0.04, 0.012).VolatilityPct;
}
