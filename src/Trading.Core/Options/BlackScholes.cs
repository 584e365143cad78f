namespace Trading.Core.Options;

/// <summary>
/// Black–Scholes–Merton for European options with a continuous dividend yield.
/// Inputs: spot S, strike K, years to expiry T, risk-free rate r, dividend yield q, volatility σ (all annualised, decimals).
/// SPY options are American; early exercise of out-of-the-money condor legs is rare, so European pricing is used throughout.
/// </summary>
public static class BlackScholes
{
    /// <summary>Theoretical price per share.</summary>
    public static double Price(OptionRight right, double spot, double strike, double years, double rate, double dividendYield, double volatility)
    {
        Validate(spot, strike, years, rate, dividendYield, volatility);
        if (years <= 0 || volatility <= 0)
        {
            return IntrinsicForward(right, spot, strike, years, rate, dividendYield);
        }

        var (d1, d2) = D1D2(spot, strike, years, rate, dividendYield, volatility);
        var df = Math.Exp(-rate * years);
        var qf = Math.Exp(-dividendYield * years);
        return right == OptionRight.Call
            ? spot * qf * NormalDistribution.Cdf(d1) - strike * df * NormalDistribution.Cdf(d2)
            : strike * df * NormalDistribution.Cdf(-d2) - spot * qf * NormalDistribution.Cdf(-d1);
    }

    /// <summary>Price and greeks (theta per calendar day, vega and rho per 1 point, i.e. 0.01).</summary>
    public static (double Price, Greeks Greeks) PriceWithGreeks(OptionRight right, double spot, double strike, double years, double rate, double dividendYield, double volatility)
    {
        Validate(spot, strike, years, rate, dividendYield, volatility);
        if (years <= 0 || volatility <= 0)
        {
            var intrinsic = IntrinsicForward(right, spot, strike, years, rate, dividendYield);
            var itm = right == OptionRight.Call ? spot > strike : spot < strike;
            var delta = itm ? (right == OptionRight.Call ? 1.0 : -1.0) : 0.0;
            return (intrinsic, new Greeks(delta, 0, 0, 0, 0));
        }

        var (d1, d2) = D1D2(spot, strike, years, rate, dividendYield, volatility);
        var df = Math.Exp(-rate * years);
        var qf = Math.Exp(-dividendYield * years);
        var pdf = NormalDistribution.Pdf(d1);
        var sqrtT = Math.Sqrt(years);
        var gamma = qf * pdf / (spot * volatility * sqrtT);
        var vega = spot * qf * pdf * sqrtT / 100.0;
        var decay = -spot * qf * pdf * volatility / (2 * sqrtT);
        double price, delta2, thetaYear, rho;
        if (right == OptionRight.Call)
        {
            var nd1 = NormalDistribution.Cdf(d1);
            var nd2 = NormalDistribution.Cdf(d2);
            price = spot * qf * nd1 - strike * df * nd2;
            delta2 = qf * nd1;
            thetaYear = decay - rate * strike * df * nd2 + dividendYield * spot * qf * nd1;
            rho = strike * years * df * nd2 / 100.0;
        }
        else
        {
            var nmd1 = NormalDistribution.Cdf(-d1);
            var nmd2 = NormalDistribution.Cdf(-d2);
            price = strike * df * nmd2 - spot * qf * nmd1;
            delta2 = -qf * nmd1;
            thetaYear = decay + rate * strike * df * nmd2 - dividendYield * spot * qf * nmd1;
            rho = -strike * years * df * nmd2 / 100.0;
        }

        return (price, new Greeks(delta2, gamma, thetaYear / 365.0, vega, rho));
    }

    // Bad inputs would otherwise come back as a silent NaN price.
    private static void Validate(double spot, double strike, double years, double rate, double dividendYield, double volatility)
    {
        if (!(spot > 0) || !double.IsFinite(spot))
        {
            throw new ArgumentOutOfRangeException(nameof(spot), spot, "The spot price must be a positive finite number.");
        }

        if (!(strike > 0) || !double.IsFinite(strike))
        {
            throw new ArgumentOutOfRangeException(nameof(strike), strike, "The strike must be a positive finite number.");
        }

        if (double.IsNaN(years) || double.IsNaN(rate) || double.IsNaN(dividendYield) || double.IsNaN(volatility) || double.IsInfinity(volatility))
        {
            throw new ArgumentOutOfRangeException(nameof(volatility), volatility,
                $"Years ({years}), rate ({rate}), dividend yield ({dividendYield}) and volatility must be numbers; volatility finite.");
        }
    }

    private static (double D1, double D2) D1D2(double spot, double strike, double years, double rate, double dividendYield, double volatility)
    {
        var volSqrtT = volatility * Math.Sqrt(years);
        var d1 = (Math.Log(spot / strike) + (rate - dividendYield + 0.5 * volatility * volatility) * years) / volSqrtT;
        return (d1, d1 - volSqrtT);
    }

    // At expiry (or with zero volatility) an option is worth its discounted forward intrinsic value.
    private static double IntrinsicForward(OptionRight right, double spot, double strike, double years, double rate, double dividendYield)
    {
        var t = Math.Max(years, 0);
        var forward = spot * Math.Exp(-dividendYield * t);
        var pv = strike * Math.Exp(-rate * t);
        return Math.Max(right == OptionRight.Call ? forward - pv : pv - forward, 0);
    }
}
