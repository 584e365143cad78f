namespace Trading.Core.Options;

/// <summary>Why an implied volatility could not be found.</summary>
public enum ImpliedVolatilityFailure
{
    /// <summary>The solve succeeded.</summary>
    None,

    /// <summary>Spot, strike, time or price is not a positive finite number.</summary>
    InvalidInput,

    /// <summary>The price is at or below the discounted intrinsic value: no time value, so no volatility explains it.</summary>
    PriceAtOrBelowLowerBound,

    /// <summary>The price is at or above the no-arbitrage upper bound (discounted spot for a call, discounted strike for a put).</summary>
    PriceAtOrAboveUpperBound,

    /// <summary>The price needs a volatility above the solver's ceiling, or the iteration did not converge.</summary>
    NoConvergence,
}

/// <summary>The outcome of an implied-volatility solve: a volatility (annualised, decimal) or a typed failure with a message.</summary>
public readonly record struct ImpliedVolatilityResult(bool Succeeded, double Volatility, ImpliedVolatilityFailure Failure, string Message, int Iterations)
{
    internal static ImpliedVolatilityResult Fail(ImpliedVolatilityFailure failure, string message, int iterations = 0) =>
        new(false, double.NaN, failure, message, iterations);
}

/// <summary>
/// Implied volatility under Black–Scholes–Merton: safeguarded Newton–Raphson (vega steps) that falls back to bisection whenever
/// a Newton step would leave the bracket or vega vanishes, so deep in- and out-of-the-money options still converge.
/// </summary>
public static class ImpliedVolatility
{
    /// <summary>Lowest volatility searched.</summary>
    public const double MinVolatility = 1e-6;

    /// <summary>Highest volatility searched (1,000%).</summary>
    public const double MaxVolatility = 10.0;

    private const int MaxIterations = 200;

    /// <summary>
    /// Solves for σ such that the model price equals <paramref name="price"/> (per share). Without an initial guess Newton starts
    /// at the Manaster–Koehler point σ₀ = √(2·|ln(F/K)|/T), where vega peaks, from which Newton converges monotonically.
    /// </summary>
    public static ImpliedVolatilityResult Solve(
        OptionRight right, double price, double spot, double strike, double years, double rate, double dividendYield, double initialGuess = double.NaN)
    {
        if (!IsPositiveFinite(price) || !IsPositiveFinite(spot) || !IsPositiveFinite(strike) || !IsPositiveFinite(years)
            || !double.IsFinite(rate) || !double.IsFinite(dividendYield))
        {
            return ImpliedVolatilityResult.Fail(ImpliedVolatilityFailure.InvalidInput,
                $"price {price}, spot {spot}, strike {strike} and years {years} must be positive finite numbers; rate {rate} and dividend yield {dividendYield} finite");
        }

        var forwardSpot = spot * Math.Exp(-dividendYield * years);
        var pvStrike = strike * Math.Exp(-rate * years);
        var lower = Math.Max(right == OptionRight.Call ? forwardSpot - pvStrike : pvStrike - forwardSpot, 0);
        var upper = right == OptionRight.Call ? forwardSpot : pvStrike;
        var tolerance = 1e-12 * Math.Max(1.0, upper);
        if (price <= lower + tolerance)
        {
            return ImpliedVolatilityResult.Fail(ImpliedVolatilityFailure.PriceAtOrBelowLowerBound,
                $"price {price} is at or below the no-arbitrage lower bound {lower} (discounted intrinsic value)");
        }

        if (price >= upper - tolerance)
        {
            return ImpliedVolatilityResult.Fail(ImpliedVolatilityFailure.PriceAtOrAboveUpperBound,
                $"price {price} is at or above the no-arbitrage upper bound {upper}");
        }

        double lo = MinVolatility, hi = MaxVolatility;
        if (BlackScholes.Price(right, spot, strike, years, rate, dividendYield, hi) < price)
        {
            return ImpliedVolatilityResult.Fail(ImpliedVolatilityFailure.NoConvergence,
                $"price {price} needs a volatility above {MaxVolatility}");
        }

        var manasterKoehler = Math.Sqrt(2 * Math.Abs(Math.Log(spot / strike) + (rate - dividendYield) * years) / years);
        var sigma = double.IsFinite(initialGuess) && initialGuess > lo && initialGuess < hi ? initialGuess
            : Math.Clamp(manasterKoehler, 0.05, 5.0);
        var priceTolerance = 1e-10 * Math.Max(1.0, price);
        for (var i = 1; i <= MaxIterations; i++)
        {
            var (model, greeks) = BlackScholes.PriceWithGreeks(right, spot, strike, years, rate, dividendYield, sigma);
            var diff = model - price;
            if (Math.Abs(diff) <= priceTolerance)
            {
                return new ImpliedVolatilityResult(true, sigma, ImpliedVolatilityFailure.None, "converged", i);
            }

            // Price is increasing in σ, so the sign of the error tells which side of the root we are on.
            if (diff > 0)
            {
                hi = sigma;
            }
            else
            {
                lo = sigma;
            }

            var vegaPerUnit = greeks.Vega * 100.0;
            var next = vegaPerUnit > 1e-12 ? sigma - diff / vegaPerUnit : double.NaN;
            if (!double.IsFinite(next) || next <= lo || next >= hi)
            {
                next = 0.5 * (lo + hi);
            }

            if (hi - lo < 1e-14)
            {
                return new ImpliedVolatilityResult(true, next, ImpliedVolatilityFailure.None, "converged (bracket collapsed)", i);
            }

            sigma = next;
        }

        return ImpliedVolatilityResult.Fail(ImpliedVolatilityFailure.NoConvergence,
            $"no convergence after {MaxIterations} iterations for price {price}", MaxIterations);
    }

    private static bool IsPositiveFinite(double x) => double.IsFinite(x) && x > 0;
}
