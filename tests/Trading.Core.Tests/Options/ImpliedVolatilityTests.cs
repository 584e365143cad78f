using Trading.Core.Options;

namespace Trading.Core.Tests.Options;

public sealed class ImpliedVolatilityTests
{
    [Fact]
    public void Recovers_Hull_volatility_from_the_textbook_price()
    {
        var result = ImpliedVolatility.Solve(OptionRight.Call, 4.759422392871535, 42, 40, 0.5, 0.10, 0);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(0.20, result.Volatility, 9);
        Assert.Equal(ImpliedVolatilityFailure.None, result.Failure);
    }

    [Fact]
    public void Round_trips_on_seeded_random_inputs_including_deep_in_and_out_of_the_money()
    {
        var rng = new Random(42);
        var solved = 0;
        for (var i = 0; i < 3000; i++)
        {
            var (s, k, t, r, q, v) = BlackScholesTests.RandomInputs(rng);
            var right = rng.Next(2) == 0 ? OptionRight.Call : OptionRight.Put;
            var price = BlackScholes.Price(right, s, k, t, r, q, v);
            var vega = BlackScholes.PriceWithGreeks(right, s, k, t, r, q, v).Greeks.Vega;
            var result = ImpliedVolatility.Solve(right, price, s, k, t, r, q);
            if (vega < 1e-6 || price < 1e-8)
            {
                // No information in the price about σ: any answer within tolerance or a typed failure is acceptable, never NaN on success.
                Assert.True(!result.Succeeded || double.IsFinite(result.Volatility));
                continue;
            }

            Assert.True(result.Succeeded, $"{right} S={s} K={k} T={t} σ={v} price={price}: {result.Message}");
            var repriced = BlackScholes.Price(right, s, k, t, r, q, result.Volatility);
            Assert.True(Math.Abs(repriced - price) < 1e-8 * Math.Max(1, price), $"repriced {repriced} vs {price}");
            Assert.True(Math.Abs(result.Volatility - v) < 1e-4, $"σ {result.Volatility} vs {v}");
            solved++;
        }

        Assert.True(solved > 2500, $"only {solved} solved");
    }

    [Theory]
    [InlineData(135.0, 0.30)] // deep OTM call, 35% above spot (price ≈ 0.07)
    [InlineData(60.0, 0.45)] // deep ITM call
    [InlineData(101.0, 2.50)] // 250% volatility
    [InlineData(100.0, 0.02)] // 2% volatility at the money
    public void Solves_hard_cases(double strike, double vol)
    {
        var price = BlackScholes.Price(OptionRight.Call, 100, strike, 0.25, 0.03, 0.01, vol);
        var result = ImpliedVolatility.Solve(OptionRight.Call, price, 100, strike, 0.25, 0.03, 0.01);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(vol, result.Volatility, 5);
    }

    [Fact]
    public void Typical_condor_legs_converge_in_a_few_newton_steps()
    {
        foreach (var (right, strike, vol) in new[] { (OptionRight.Put, 570.0, 0.21), (OptionRight.Call, 630.0, 0.14), (OptionRight.Put, 600.0, 0.18), (OptionRight.Call, 500.0, 0.30) })
        {
            var price = BlackScholes.Price(right, 600, strike, 31 / 365.0, 0.04, 0.012, vol);
            var result = ImpliedVolatility.Solve(right, price, 600, strike, 31 / 365.0, 0.04, 0.012);
            Assert.True(result.Succeeded, result.Message);
            Assert.InRange(result.Iterations, 1, 10);
            Assert.Equal(vol, result.Volatility, 8);
        }
    }

    [Fact]
    public void Price_below_intrinsic_is_a_typed_failure()
    {
        // Call intrinsic (discounted) ≈ 20 − tiny; 15 is impossible.
        var result = ImpliedVolatility.Solve(OptionRight.Call, 15, 120, 100, 0.1, 0.0, 0);
        Assert.False(result.Succeeded);
        Assert.Equal(ImpliedVolatilityFailure.PriceAtOrBelowLowerBound, result.Failure);
        Assert.True(double.IsNaN(result.Volatility));
        Assert.Contains("lower bound", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Price_above_upper_bound_is_a_typed_failure()
    {
        Assert.Equal(ImpliedVolatilityFailure.PriceAtOrAboveUpperBound, ImpliedVolatility.Solve(OptionRight.Call, 101, 100, 100, 0.5, 0.02, 0).Failure);
        Assert.Equal(ImpliedVolatilityFailure.PriceAtOrAboveUpperBound, ImpliedVolatility.Solve(OptionRight.Put, 100, 100, 100, 0.5, 0.02, 0).Failure);
    }

    [Theory]
    [InlineData(0.0, 100.0, 100.0, 0.5)]
    [InlineData(-1.0, 100.0, 100.0, 0.5)]
    [InlineData(1.0, 0.0, 100.0, 0.5)]
    [InlineData(1.0, 100.0, -5.0, 0.5)]
    [InlineData(1.0, 100.0, 100.0, 0.0)]
    [InlineData(double.NaN, 100.0, 100.0, 0.5)]
    [InlineData(1.0, double.PositiveInfinity, 100.0, 0.5)]
    public void Invalid_inputs_are_a_typed_failure_not_an_exception(double price, double spot, double strike, double years)
    {
        var result = ImpliedVolatility.Solve(OptionRight.Put, price, spot, strike, years, 0.03, 0);
        Assert.False(result.Succeeded);
        Assert.Equal(ImpliedVolatilityFailure.InvalidInput, result.Failure);
    }

    [Fact]
    public void Price_needing_more_than_the_ceiling_volatility_fails_without_nan()
    {
        var price = BlackScholes.Price(OptionRight.Call, 100, 100, 1, 0, 0, 12.0); // σ = 1,200%
        var result = ImpliedVolatility.Solve(OptionRight.Call, price, 100, 100, 1, 0, 0);
        Assert.False(result.Succeeded);
        Assert.Equal(ImpliedVolatilityFailure.NoConvergence, result.Failure);
    }
}
