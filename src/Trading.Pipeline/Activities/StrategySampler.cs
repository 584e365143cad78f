using System.Security.Cryptography;
using System.Text;
using Trading.Core.Markets;

namespace Trading.Pipeline.Activities;

/// <summary>
/// Thompson sampling over strategy variants: one Beta(alpha, beta) draw per arm from a seed derived from the run id (a replayed
/// or resumed run draws the same numbers), scaled by regime, labelled ENTER/CONSIDER/CAUTIOUS/AVOID.
/// </summary>
public static class StrategySampler
{
    /// <summary>A stable 32-bit seed from the run id (SHA-256, not string.GetHashCode, which varies per process).</summary>
    public static int SeedOf(string runId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(runId));
        return BitConverter.ToInt32(hash, 0) & int.MaxValue;
    }

    /// <summary>Regime scale of the draw: calm 1.1, trending 0.9, volatile 0.8, spike 0.25.</summary>
    public static double RegimeScale(MarketRegime regime) => regime switch
    {
        MarketRegime.Calm => 1.1,
        MarketRegime.Trending => 0.9,
        MarketRegime.Volatile => 0.8,
        _ => 0.25,
    };

    /// <summary>ENTER ≥ 0.7, CONSIDER ≥ 0.5, CAUTIOUS ≥ 0.3, else AVOID (CAUTIOUS instead while fewer than 5 trades closed).</summary>
    public static string Label(double scaled, int closedTrades) => scaled switch
    {
        >= 0.7 => "ENTER",
        >= 0.5 => "CONSIDER",
        >= 0.3 => "CAUTIOUS",
        _ => closedTrades < 5 ? "CAUTIOUS" : "AVOID",
    };

    /// <summary>A Beta(alpha, beta) draw from two Gamma draws.</summary>
    public static double SampleBeta(Random random, double alpha, double beta)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = SampleGamma(random, alpha);
        var y = SampleGamma(random, beta);
        return x + y <= 0 ? 0.5 : x / (x + y);
    }

    // Marsaglia–Tsang; shape < 1 boosted with U^(1/shape).
    private static double SampleGamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return SampleGamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = StandardNormal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = random.NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    private static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
