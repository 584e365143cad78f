using Trading.Core.Markets;
using Trading.Core.Settings;
using Trading.Core.Strategy;

namespace Trading.Core.Tests.Strategy;

public sealed class ThompsonSamplerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_win_adds_to_alpha_and_a_loss_to_beta()
    {
        var p = BetaPosterior.Prior("d16-w5");
        Assert.Equal((1.0, 1.0, 0), (p.Alpha, p.Beta, p.ClosedTrades));
        p = p.Record(won: true, T0).Record(won: true, T0).Record(won: false, T0);
        Assert.Equal((3.0, 2.0, 3), (p.Alpha, p.Beta, p.ClosedTrades));
        Assert.Equal(0.6, p.Mean, 12);
        Assert.Equal(T0, p.UpdatedAt);
    }

    [Fact]
    public void Evidence_decays_toward_the_prior_with_the_half_life()
    {
        var p = new BetaPosterior("v", 9, 5, 12, T0);
        var later = p.DecayedTo(T0.AddDays(10), halfLifeDays: 10);
        Assert.Equal(5.0, later.Alpha, 12); // 1 + 8 × 0.5
        Assert.Equal(3.0, later.Beta, 12); // 1 + 4 × 0.5
        Assert.Equal(12, later.ClosedTrades);
        Assert.Equal(p, p.DecayedTo(T0.AddDays(10), halfLifeDays: 0));
        Assert.Equal(p, p.DecayedTo(T0.AddDays(-1), halfLifeDays: 10));

        var recorded = p.Record(won: true, T0.AddDays(20), halfLifeDays: 10);
        Assert.Equal(1 + 8 * 0.25 + 1, recorded.Alpha, 12);
        Assert.Equal(1 + 4 * 0.25, recorded.Beta, 12);
    }

    [Theory]
    [InlineData(2.0, 5.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(30.0, 3.0)]
    public void Beta_draws_have_the_right_mean_and_variance(double a, double b)
    {
        var rng = new Random(123);
        const int n = 100_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var x = BetaSampling.Beta(rng, a, b);
            Assert.InRange(x, 0.0, 1.0);
            sum += x;
            sumSq += x * x;
        }

        var mean = sum / n;
        var variance = sumSq / n - mean * mean;
        var expectedMean = a / (a + b);
        var expectedVariance = a * b / ((a + b) * (a + b) * (a + b + 1));
        var standardError = Math.Sqrt(expectedVariance / n);
        Assert.InRange(mean, expectedMean - 4 * standardError, expectedMean + 4 * standardError);
        Assert.InRange(variance / expectedVariance, 0.97, 1.03);
    }

    [Fact]
    public void Gamma_draws_have_mean_equal_to_shape_and_reject_bad_shapes()
    {
        foreach (var shape in new[] { 0.3, 1.0, 4.5 })
        {
            var rng = new Random(9);
            var mean = Enumerable.Range(0, 100_000).Select(_ => BetaSampling.Gamma(rng, shape)).Average();
            Assert.InRange(mean / shape, 0.98, 1.02);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => BetaSampling.Gamma(new Random(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BetaSampling.Gamma(new Random(1), double.NaN));
    }

    [Fact]
    public void The_same_seed_gives_the_same_selection()
    {
        var sampler = new ThompsonSampler(new SamplerSettings());
        BetaPosterior[] arms = [new("a", 3, 4, 5, null), new("b", 5, 2, 5, null), new("c", 1, 1, 0, null)];
        var first = sampler.Select(arms, MarketRegime.Calm, new Random(77), T0);
        var second = sampler.Select(arms, MarketRegime.Calm, new Random(77), T0);
        Assert.Equal(first.Scores, second.Scores);
        Assert.Equal(first.Best, first.Scores[0]);
        Assert.True(first.Scores.Zip(first.Scores.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Theory]
    [InlineData(MarketRegime.Calm, 1.1)]
    [InlineData(MarketRegime.Trending, 0.9)]
    [InlineData(MarketRegime.Volatile, 0.8)]
    [InlineData(MarketRegime.Spike, 0.3)]
    public void The_regime_scales_the_draw(MarketRegime regime, double multiplier)
    {
        var sampler = new ThompsonSampler(new SamplerSettings());
        var tight = new BetaPosterior("v", 600_000, 400_000, 100, null); // draws ≈ 0.6
        var score = sampler.Score(tight, regime, new Random(3), T0);
        Assert.Equal(multiplier, score.RegimeMultiplier);
        Assert.Equal(score.Draw * multiplier, score.Score, 12);
        Assert.Equal(0.6, score.Draw, 2);
    }

    [Theory]
    [InlineData(0.7, 10, StrategyLabel.Enter)]
    [InlineData(0.6999, 10, StrategyLabel.Consider)]
    [InlineData(0.5, 10, StrategyLabel.Consider)]
    [InlineData(0.4999, 10, StrategyLabel.Cautious)]
    [InlineData(0.3, 10, StrategyLabel.Cautious)]
    [InlineData(0.2999, 5, StrategyLabel.Avoid)]
    [InlineData(0.2999, 4, StrategyLabel.Cautious)] // minimum-trades gate
    [InlineData(0.0, 0, StrategyLabel.Cautious)]
    [InlineData(0.0, 5, StrategyLabel.Avoid)]
    public void Labels_at_their_thresholds(double score, int closedTrades, StrategyLabel expected)
    {
        var (label, reason) = new ThompsonSampler(new SamplerSettings()).LabelFor(score, closedTrades);
        Assert.Equal(expected, label);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Three_armed_bernoulli_simulation_concentrates_on_the_best_arm_with_sublinear_regret(int seed)
    {
        double[] p = [0.3, 0.5, 0.7];
        var sampler = new ThompsonSampler(new SamplerSettings());
        var arms = p.Select((_, i) => BetaPosterior.Prior($"arm{i}")).ToArray();
        var draws = new Random(seed);
        var world = new Random(seed + 1000);
        var bestInLast1000 = 0;
        double regretFirstHalf = 0, regretSecondHalf = 0;
        for (var pull = 1; pull <= 5000; pull++)
        {
            var chosen = sampler.Select(arms, MarketRegime.Calm, draws, T0).Best.VariantId;
            var index = Array.FindIndex(arms, a => a.VariantId == chosen);
            var won = world.NextDouble() < p[index];
            arms[index] = arms[index].Record(won, T0);
            var regret = p.Max() - p[index];
            if (pull <= 2500)
            {
                regretFirstHalf += regret;
            }
            else
            {
                regretSecondHalf += regret;
            }

            if (pull > 4000 && index == 2)
            {
                bestInLast1000++;
            }
        }

        Assert.True(bestInLast1000 > 800, $"best arm got {bestInLast1000} of the last 1000 pulls");
        Assert.True(regretSecondHalf < regretFirstHalf, $"regret 2501-5000 {regretSecondHalf} is not below 1-2500 {regretFirstHalf}");
        Assert.Equal(5000 + 6, arms.Sum(a => a.Alpha + a.Beta), 9);
    }

    [Fact]
    public void Settings_defaults_and_validation()
    {
        var s = new SamplerSettings();
        Assert.Equal("Sampler", SamplerSettings.SectionName);
        Assert.Empty(s.Validate());
        Assert.Equal((1.1, 0.9, 0.8, 0.3), (s.CalmMultiplier, s.TrendingMultiplier, s.VolatileMultiplier, s.SpikeMultiplier));
        var errors = new SamplerSettings { PriorAlpha = 0, EnterThreshold = 0.2, HalfLifeDays = -1 }.Validate();
        Assert.Contains("Sampler:PriorAlpha must be in (0, 1000000]; was 0", errors);
        Assert.Contains("Sampler:HalfLifeDays must be in [0, 36500]; was -1", errors);
        Assert.Contains(errors, e => e.StartsWith("Sampler:ConsiderThreshold must satisfy", StringComparison.Ordinal));
        Assert.Throws<SettingsValidationException>(() => new ThompsonSampler(new SamplerSettings { PriorBeta = -1 }));
    }
}
