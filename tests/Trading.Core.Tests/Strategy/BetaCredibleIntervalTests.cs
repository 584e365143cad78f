using Trading.Core.Strategy;

namespace Trading.Core.Tests.Strategy;

public sealed class BetaCredibleIntervalTests
{
    [Theory]
    // Closed forms: Beta(1,1) is uniform; Beta(2,1) has CDF x²; Beta(1,3) has CDF 1 − (1 − x)³.
    [InlineData(1, 1, 0.05, 0.95)]
    [InlineData(2, 1, 0.2236067977, 0.9746794345)]
    [InlineData(1, 3, 0.0169524275, 0.6315968501)]
    public void The_90_percent_band_matches_the_closed_form_quantiles(double alpha, double beta, double low, double high)
    {
        var band = BetaCredibleInterval.Of(alpha, beta, 0.9);

        Assert.Equal(low, band.Low, 1e-8);
        Assert.Equal(high, band.High, 1e-8);
    }

    [Theory]
    [InlineData(50, 50)]
    [InlineData(0.5, 0.5)]
    [InlineData(300, 300)]
    public void A_symmetric_posterior_has_a_symmetric_band_around_one_half(double alpha, double beta)
    {
        var band = BetaCredibleInterval.Of(alpha, beta, 0.95);

        Assert.Equal(1.0, band.Low + band.High, 1e-8);
        Assert.Equal(0.5, BetaCredibleInterval.RegularizedIncompleteBeta(alpha, beta, 0.5), 1e-10);
    }

    [Fact]
    public void More_evidence_narrows_the_band_around_the_mean()
    {
        var few = BetaCredibleInterval.Of(4, 2);
        var many = BetaCredibleInterval.Of(400, 200);

        Assert.True(many.High - many.Low < (few.High - few.Low) / 5);
        Assert.InRange(400.0 / 600, many.Low, many.High);
    }

    [Theory]
    [InlineData(0, 1, 0.9)]
    [InlineData(1, -2, 0.9)]
    [InlineData(double.NaN, 1, 0.9)]
    [InlineData(1, 1, 1.0)]
    [InlineData(1, 1, 0)]
    public void Bad_parameters_are_refused_naming_the_problem(double alpha, double beta, double level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaCredibleInterval.Of(alpha, beta, level));
    }
}
