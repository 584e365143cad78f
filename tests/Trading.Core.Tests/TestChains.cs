using Trading.Core.Options;

namespace Trading.Core.Tests;

/// <summary>A small generator of Black–Scholes-consistent SPY-like chains for tests (no dependency on the Markets project).</summary>
internal sealed class TestChains
{
    public static readonly DateTimeOffset AsOf = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero); // Monday 10:00 New York

    public decimal Spot { get; init; } = 600m;

    public double Volatility { get; init; } = 0.18;

    public double Rate { get; init; } = 0.04;

    public double Dividend { get; init; } = 0.012;

    public decimal StrikeStep { get; init; } = 1m;

    public decimal LowStrike { get; init; } = 500m;

    public decimal HighStrike { get; init; } = 700m;

    /// <summary>Days to expiration of each listed expiration.</summary>
    public int[] Dtes { get; init; } = [10, 31, 45, 60];

    /// <summary>Half the bid–ask spread, dollars.</summary>
    public decimal HalfSpread { get; init; } = 0.01m;

    public bool WithGreeks { get; init; } = true;

    public bool WithIv { get; init; } = true;

    public DateTimeOffset Time { get; init; } = AsOf;

    /// <summary>Optional per-contract rewrite (e.g. crossing one quote).</summary>
    public Func<OptionSnapshot, OptionSnapshot>? Transform { get; init; }

    public OptionChain Build()
    {
        var list = new List<OptionSnapshot>();
        foreach (var dte in Dtes)
        {
            var expiry = ExpirationTime.NewYorkDate(Time).AddDays(dte);
            var years = ExpirationTime.YearsUntil(expiry, Time);
            for (var k = LowStrike; k <= HighStrike; k += StrikeStep)
            {
                foreach (var right in new[] { OptionRight.Put, OptionRight.Call })
                {
                    var (price, greeks) = BlackScholes.PriceWithGreeks(right, (double)Spot, (double)k, years, Rate, Dividend, Volatility);
                    var mid = Math.Round((decimal)price, 2);
                    var bid = Math.Max(mid - HalfSpread, 0m);
                    var ask = Math.Max(mid + HalfSpread, 0.01m);
                    var snapshot = new OptionSnapshot(
                        new OccSymbol("SPY", expiry, right, k),
                        new OptionQuote(bid, ask),
                        WithGreeks ? greeks : null,
                        WithIv ? Volatility : null);
                    list.Add(Transform is null ? snapshot : Transform(snapshot));
                }
            }
        }

        return new OptionChain("SPY", Spot, Time, list);
    }
}
