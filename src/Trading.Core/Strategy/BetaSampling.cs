namespace Trading.Core.Strategy;

/// <summary>
/// Draws from Gamma and Beta distributions with a caller-supplied <see cref="Random"/>, so a seed reproduces every draw.
/// Gamma uses Marsaglia and Tsang's squeeze method (2000); shape &lt; 1 is boosted with Gamma(a+1)·U^(1/a).
/// </summary>
public static class BetaSampling
{
    /// <summary>One draw from Beta(alpha, beta) as X/(X+Y) with X ~ Gamma(alpha), Y ~ Gamma(beta).</summary>
    public static double Beta(Random random, double alpha, double beta)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = Gamma(random, alpha);
        var y = Gamma(random, beta);
        var sum = x + y;
        // Both can underflow to 0 for tiny shapes; fall back to the mean rather than NaN.
        return sum > 0 ? x / sum : alpha / (alpha + beta);
    }

    /// <summary>One draw from Gamma(shape, 1).</summary>
    public static double Gamma(Random random, double shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(shape > 0) || !double.IsFinite(shape))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "The Gamma shape must be a positive finite number.");
        }

        if (shape < 1)
        {
            var u = 1.0 - random.NextDouble(); // (0, 1]
            return Gamma(random, shape + 1) * Math.Pow(u, 1.0 / shape);
        }

        var d = shape - 1.0 / 3.0;
        var c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal(random);
                v = 1.0 + c * x;
            }
            while (v <= 0);

            v = v * v * v;
            var u = 1.0 - random.NextDouble();
            var x2 = x * x;
            if (u < 1.0 - 0.0331 * x2 * x2 || Math.Log(u) < 0.5 * x2 + d * (1.0 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    /// <summary>A standard normal draw (Marsaglia polar method).</summary>
    public static double StandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u, v, s;
        do
        {
            u = 2.0 * random.NextDouble() - 1.0;
            v = 2.0 * random.NextDouble() - 1.0;
            s = u * u + v * v;
        }
        while (s >= 1.0 || s == 0.0);

        return u * Math.Sqrt(-2.0 * Math.Log(s) / s);
    }
}
