using Trading.Core.Options;

namespace Trading.Core.Tests.Options;

public sealed class BlackScholesTests
{
    [Fact]
    public void Hull_example_15_6_call_and_put()
    {
        // Hull, Options, Futures and Other Derivatives: S=42, K=40, r=10%, σ=20%, T=0.5 → c=4.76, p=0.81.
        Assert.Equal(4.759422, BlackScholes.Price(OptionRight.Call, 42, 40, 0.5, 0.10, 0, 0.20), 5);
        Assert.Equal(0.808599, BlackScholes.Price(OptionRight.Put, 42, 40, 0.5, 0.10, 0, 0.20), 5);
    }

    [Fact]
    public void Hull_greeks_example_call_on_non_dividend_stock()
    {
        // Hull's greek letters example: S=49, K=50, r=5%, σ=20%, T=20 weeks (0.3846):
        // price 2.40, delta 0.522, gamma 0.066, theta −4.31/year, vega 12.1 per unit σ, rho 8.91 per unit r.
        var (price, g) = BlackScholes.PriceWithGreeks(OptionRight.Call, 49, 50, 0.3846, 0.05, 0, 0.20);
        Assert.Equal(2.4005, price, 3);
        Assert.Equal(0.522, g.Delta, 3);
        Assert.Equal(0.066, g.Gamma, 3);
        Assert.Equal(-4.31 / 365, g.Theta, 4);
        Assert.Equal(0.121, g.Vega, 3);
        Assert.Equal(0.0891, g.Rho, 4);
    }

    [Fact]
    public void Hull_index_option_with_dividend_yield()
    {
        // Hull: European call on an index, S=930, K=900, r=8%, q=3%, σ=20%, T=2 months → 51.83.
        Assert.Equal(51.83, BlackScholes.Price(OptionRight.Call, 930, 900, 2.0 / 12, 0.08, 0.03, 0.20), 2);
    }

    [Fact]
    public void Haug_put_with_dividend_yield()
    {
        // Haug, The Complete Guide to Option Pricing Formulas: S=100, K=95, T=0.5, r=10%, q=5%, σ=20% → put 2.4648.
        Assert.Equal(2.4648, BlackScholes.Price(OptionRight.Put, 100, 95, 0.5, 0.10, 0.05, 0.20), 4);
    }

    [Fact]
    public void Put_call_parity_holds_on_seeded_random_inputs()
    {
        var rng = new Random(20260321);
        for (var i = 0; i < 2000; i++)
        {
            var (s, k, t, r, q, v) = RandomInputs(rng);
            var call = BlackScholes.Price(OptionRight.Call, s, k, t, r, q, v);
            var put = BlackScholes.Price(OptionRight.Put, s, k, t, r, q, v);
            var parity = s * Math.Exp(-q * t) - k * Math.Exp(-r * t);
            Assert.True(Math.Abs(call - put - parity) < 1e-9 * Math.Max(1, s), $"parity broken for S={s} K={k} T={t} r={r} q={q} σ={v}: c−p={call - put}, F={parity}");
            Assert.True(call >= 0 && put >= 0);
        }
    }

    [Fact]
    public void Greeks_match_finite_differences_on_seeded_random_inputs()
    {
        var rng = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var (s, k, t, r, q, v) = RandomInputs(rng);
            foreach (var right in new[] { OptionRight.Call, OptionRight.Put })
            {
                var (price, g) = BlackScholes.PriceWithGreeks(right, s, k, t, r, q, v);
                double P(double ss, double tt, double rr, double vv) => BlackScholes.Price(right, ss, k, tt, rr, q, vv);
                var hs = s * 1e-4;
                var delta = (P(s + hs, t, r, v) - P(s - hs, t, r, v)) / (2 * hs);
                var gamma = (P(s + hs, t, r, v) - 2 * price + P(s - hs, t, r, v)) / (hs * hs);
                var hv = 1e-5;
                var vega = (P(s, t, r, v + hv) - P(s, t, r, v - hv)) / (2 * hv) / 100;
                var ht = Math.Min(1e-5, t / 10);
                var theta = -(P(s, t + ht, r, v) - P(s, t - ht, r, v)) / (2 * ht) / 365;
                var hr = 1e-5;
                var rho = (P(s, t, r + hr, v) - P(s, t, r - hr, v)) / (2 * hr) / 100;
                var ctx = $"{right} S={s} K={k} T={t} r={r} q={q} σ={v}";
                Assert.True(Math.Abs(g.Delta - delta) < 1e-5, $"delta {g.Delta} vs {delta}: {ctx}");
                Assert.True(Math.Abs(g.Gamma - gamma) < 1e-4 * Math.Max(1, Math.Abs(gamma)) + 1e-6, $"gamma {g.Gamma} vs {gamma}: {ctx}");
                Assert.True(Math.Abs(g.Vega - vega) < 1e-6 * Math.Max(1, s), $"vega {g.Vega} vs {vega}: {ctx}");
                Assert.True(Math.Abs(g.Theta - theta) < 1e-6 * Math.Max(1, s), $"theta {g.Theta} vs {theta}: {ctx}");
                Assert.True(Math.Abs(g.Rho - rho) < 1e-6 * Math.Max(1, s), $"rho {g.Rho} vs {rho}: {ctx}");
                Assert.Equal(BlackScholes.Price(right, s, k, t, r, q, v), price, 12);
            }
        }
    }

    [Fact]
    public void Call_delta_minus_put_delta_is_the_dividend_discount()
    {
        var rng = new Random(11);
        for (var i = 0; i < 500; i++)
        {
            var (s, k, t, r, q, v) = RandomInputs(rng);
            var c = BlackScholes.PriceWithGreeks(OptionRight.Call, s, k, t, r, q, v).Greeks;
            var p = BlackScholes.PriceWithGreeks(OptionRight.Put, s, k, t, r, q, v).Greeks;
            Assert.Equal(Math.Exp(-q * t), c.Delta - p.Delta, 12);
            Assert.Equal(c.Gamma, p.Gamma, 12);
            Assert.Equal(c.Vega, p.Vega, 12);
        }
    }

    [Fact]
    public void At_expiry_or_zero_volatility_the_price_is_discounted_intrinsic()
    {
        Assert.Equal(10, BlackScholes.Price(OptionRight.Call, 110, 100, 0, 0.05, 0, 0.2), 12);
        Assert.Equal(0, BlackScholes.Price(OptionRight.Put, 110, 100, 0, 0.05, 0, 0.2), 12);
        Assert.Equal(100 - 90 * Math.Exp(-0.05), BlackScholes.Price(OptionRight.Call, 100, 90, 1, 0.05, 0, 0), 10);
        var (price, g) = BlackScholes.PriceWithGreeks(OptionRight.Put, 90, 100, 0, 0.05, 0, 0.2);
        Assert.Equal(10, price, 12);
        Assert.Equal(-1, g.Delta);
    }

    [Fact]
    public void Deep_in_and_out_of_the_money_prices_approach_their_limits()
    {
        Assert.Equal(0, BlackScholes.Price(OptionRight.Call, 100, 1000, 0.1, 0.04, 0, 0.2), 12);
        var deep = BlackScholes.Price(OptionRight.Call, 1000, 100, 0.1, 0.04, 0.01, 0.2);
        Assert.Equal(1000 * Math.Exp(-0.001) - 100 * Math.Exp(-0.004), deep, 9);
    }

    [Theory]
    [InlineData(0.0, 100.0, 0.2, "spot")]
    [InlineData(-1.0, 100.0, 0.2, "spot")]
    [InlineData(100.0, 0.0, 0.2, "strike")]
    [InlineData(100.0, 100.0, double.NaN, "volatility")]
    public void Invalid_inputs_throw_naming_the_parameter(double spot, double strike, double vol, string parameter)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.Price(OptionRight.Call, spot, strike, 0.5, 0.03, 0, vol));
        Assert.Equal(parameter, ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => BlackScholes.PriceWithGreeks(OptionRight.Put, spot, strike, 0.5, 0.03, 0, vol));
    }

    internal static (double S, double K, double T, double R, double Q, double V) RandomInputs(Random rng)
    {
        var s = 20 + rng.NextDouble() * 980;
        var k = s * Math.Exp((rng.NextDouble() - 0.5) * 0.8);
        var t = 0.01 + rng.NextDouble() * 2;
        var r = rng.NextDouble() * 0.08;
        var q = rng.NextDouble() * 0.04;
        var v = 0.05 + rng.NextDouble() * 0.9;
        return (s, k, t, r, q, v);
    }
}
