using Trading.Core.Options;

namespace Trading.Core.Tests.Options;

public sealed class AtTheMoneyVolatilityTests
{
    [Fact]
    public void Flat_volatility_chain_gives_that_volatility()
    {
        var chain = new TestChains { Volatility = 0.21, Dtes = [10, 24, 38, 52] }.Build();
        var result = AtTheMoneyVolatility.Compute(chain, 0.04, 0.012);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(21.0, result.VolatilityPct, 6);
        Assert.Equal(TestChains.AsOf.AddDays(24).Date, result.NearExpiration!.Value.ToDateTime(TimeOnly.MinValue));
        Assert.Equal(TestChains.AsOf.AddDays(38).Date, result.NextExpiration!.Value.ToDateTime(TimeOnly.MinValue));
    }

    [Fact]
    public void Interpolates_in_total_variance_between_the_expirations_around_30_days()
    {
        // Near (24 DTE) at 20%, next (38 DTE) at 30%: σ30² · T30 = σn² Tn + w (σx² Tx − σn² Tn).
        var near = new TestChains { Volatility = 0.20, Dtes = [24] }.Build();
        var next = new TestChains { Volatility = 0.30, Dtes = [38] }.Build();
        var chain = new OptionChain("SPY", 600m, TestChains.AsOf, near.All.Concat(next.All));
        var result = AtTheMoneyVolatility.Compute(chain, 0.04, 0.012);
        var tn = ExpirationTime.YearsUntil(near.Expirations.Single(), TestChains.AsOf);
        var tx = ExpirationTime.YearsUntil(next.Expirations.Single(), TestChains.AsOf);
        var t30 = 30 / 365.0;
        var w = (t30 - tn) / (tx - tn);
        var expected = Math.Sqrt((0.04 * tn + w * (0.09 * tx - 0.04 * tn)) / t30) * 100;
        Assert.True(result.Succeeded);
        Assert.Equal(expected, result.VolatilityPct, 6);
        Assert.InRange(result.VolatilityPct, 20, 30);
    }

    [Fact]
    public void Without_iv_the_volatility_is_solved_from_mid_quotes()
    {
        var chain = new TestChains { Volatility = 0.17, WithIv = false, WithGreeks = false, HalfSpread = 0m, Dtes = [24, 38] }.Build();
        var result = AtTheMoneyVolatility.Compute(chain, 0.04, 0.012);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(17.0, result.VolatilityPct, 0); // mids are rounded to cents
        Assert.InRange(result.VolatilityPct, 16.8, 17.2);
    }

    [Fact]
    public void Empty_or_unusable_chain_fails_with_a_message()
    {
        var empty = new OptionChain("SPY", 600m, TestChains.AsOf, []);
        var result = AtTheMoneyVolatility.Compute(empty, 0.04, 0.0);
        Assert.False(result.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));

        var noPrice = new OptionChain("SPY", 0m, TestChains.AsOf, []);
        Assert.False(AtTheMoneyVolatility.Compute(noPrice, 0.04, 0.0).Succeeded);
    }

    [Fact]
    public void Only_later_expirations_uses_the_nearest_and_says_so()
    {
        var chain = new TestChains { Volatility = 0.25, Dtes = [40, 60] }.Build();
        var result = AtTheMoneyVolatility.Compute(chain, 0.04, 0.012);
        Assert.True(result.Succeeded);
        Assert.Equal(25.0, result.VolatilityPct, 6);
        Assert.Null(result.NearExpiration);
        Assert.Contains("alone", result.Message, StringComparison.Ordinal);
    }
}
