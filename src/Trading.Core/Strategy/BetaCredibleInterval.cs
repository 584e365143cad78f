namespace Trading.Core.Strategy;

/// <summary>
/// An equal-tailed credible interval of a Beta(alpha, beta) posterior: the quantiles at (1 − level) / 2 and (1 + level) / 2,
/// found by bisection on the regularized incomplete beta function (continued fraction, accurate to about 1e-10).
/// </summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public readonly record struct BetaCredibleInterval(double Low, double High)
{
    /// <summary>The interval holding <paramref name="level"/> (e.g. 0.9) of the posterior's mass, equal tails.</summary>
    public static BetaCredibleInterval Of(double alpha, double beta, double level = 0.9)
    {
        if (!(alpha > 0) || !(beta > 0) || double.IsInfinity(alpha) || double.IsInfinity(beta))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"Beta parameters must be positive and finite (alpha {alpha}, beta {beta}).");
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(nameof(level), level, "The credible level must be between 0 and 1.");
        var tail = (1 - level) / 2;
        return new BetaCredibleInterval(Quantile(alpha, beta, tail), Quantile(alpha, beta, 1 - tail));
    }

    /// <summary>The x with I_x(alpha, beta) = <paramref name="p"/>.</summary>
    public static double Quantile(double alpha, double beta, double p)
    {
        double lo = 0, hi = 1;
        for (var i = 0; i < 100 && hi - lo > 1e-12; i++)
        {
            var mid = (lo + hi) / 2;
            if (RegularizedIncompleteBeta(alpha, beta, mid) < p)
                lo = mid;
            else
                hi = mid;
        }

        return (lo + hi) / 2;
    }

    /// <summary>I_x(a, b), the Beta(a, b) cumulative distribution at <paramref name="x"/>.</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
            return 0;
        if (x >= 1)
            return 1;
        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));
        // The continued fraction converges fast for x below the mean-ish split point; use the symmetry otherwise.
        return x < (a + 1) / (a + b + 2)
            ? front * ContinuedFraction(a, b, x) / a
            : 1 - (front * ContinuedFraction(b, a, 1 - x) / b);
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        double c = 1, d = 1 - ((a + b) * x / (a + 1));
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        var result = d;
        for (var m = 1; m <= 300; m++)
        {
            var even = m * (b - m) * x / ((a + (2 * m) - 1) * (a + (2 * m)));
            d = 1 + (even * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (even / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            result *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + (2 * m)) * (a + (2 * m) + 1));
            d = 1 + (odd * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (odd / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            var step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < 1e-14)
                break;
        }

        return result;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, nine coefficients).</summary>
    private static double LogGamma(double x)
    {
        ReadOnlySpan<double> g =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        var sum = g[0];
        for (var i = 1; i < g.Length; i++)
            sum += g[i] / (x + i);
        var t = x + 7.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
