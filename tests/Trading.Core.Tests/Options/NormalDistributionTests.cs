using Trading.Core.Options;

namespace Trading.Core.Tests.Options;

public sealed class NormalDistributionTests
{
    // Reference values: Φ(x) = erfc(−x/√2)/2 computed in double precision.
    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.5, 0.691462461274013)]
    [InlineData(1.0, 0.841344746068543)]
    [InlineData(-1.0, 0.158655253931457)]
    [InlineData(1.96, 0.975002104851780)]
    [InlineData(-1.96, 0.0249978951482204)]
    [InlineData(2.0, 0.977249868051821)]
    [InlineData(3.0, 0.998650101968370)]
    [InlineData(-3.0, 0.00134989803163009)]
    [InlineData(0.123456, 0.549126992702312)]
    public void Cdf_matches_reference_values_to_1e_12(double x, double expected)
    {
        Assert.Equal(expected, NormalDistribution.Cdf(x), 12);
    }

    [Theory]
    // Hart's algorithm switches to a continued fraction beyond 7.07σ: absolute error is ~1e-23 there, relative about 1e-8.
    [InlineData(-5.0, 2.86651571879194e-07, 1e-9)]
    [InlineData(-8.0, 6.22096057427182e-16, 1e-7)]
    [InlineData(-10.0, 7.61985302416059e-24, 1e-7)]
    public void Cdf_deep_tail_has_small_relative_error(double x, double expected, double relative)
    {
        Assert.InRange(NormalDistribution.Cdf(x) / expected, 1 - relative, 1 + relative);
        Assert.InRange(1 - NormalDistribution.Cdf(-x), 0, expected + 1e-15);
    }

    [Fact]
    public void Cdf_is_symmetric_and_monotone_on_a_grid()
    {
        var previous = 0.0;
        for (var x = -9.0; x <= 9.0; x += 0.01)
        {
            var c = NormalDistribution.Cdf(x);
            Assert.True(c >= previous, $"not monotone at {x}");
            Assert.Equal(1.0, c + NormalDistribution.Cdf(-x), 14);
            previous = c;
        }
    }

    [Fact]
    public void Cdf_of_nan_is_nan_and_infinities_are_limits()
    {
        Assert.True(double.IsNaN(NormalDistribution.Cdf(double.NaN)));
        Assert.Equal(0.0, NormalDistribution.Cdf(double.NegativeInfinity));
        Assert.Equal(1.0, NormalDistribution.Cdf(double.PositiveInfinity));
    }

    [Fact]
    public void Pdf_matches_reference_and_is_the_derivative_of_the_cdf()
    {
        Assert.Equal(0.398942280401433, NormalDistribution.Pdf(0), 14);
        Assert.Equal(0.241970724519143, NormalDistribution.Pdf(1), 14);
        for (var x = -4.0; x <= 4.0; x += 0.25)
        {
            var h = 1e-5;
            var numeric = (NormalDistribution.Cdf(x + h) - NormalDistribution.Cdf(x - h)) / (2 * h);
            Assert.Equal(NormalDistribution.Pdf(x), numeric, 8);
        }
    }
}
