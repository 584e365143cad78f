namespace Trading.Core.Options;

/// <summary>The 30-day at-the-money implied volatility of a chain, or why it could not be computed.</summary>
/// <param name="Succeeded">True when <see cref="VolatilityPct"/> is usable.</param>
/// <param name="VolatilityPct">Annualised volatility in percent (18.5 means 18.5%), like the VIX.</param>
/// <param name="NearExpiration">The expiration at or before the target horizon that was used, if any.</param>
/// <param name="NextExpiration">The expiration after the target horizon that was used, if any.</param>
/// <param name="Message">How the value was obtained, or what was missing.</param>
public sealed record AtTheMoneyVolatilityResult(bool Succeeded, double VolatilityPct, DateOnly? NearExpiration, DateOnly? NextExpiration, string Message);

/// <summary>
/// A VIX proxy: Alpaca serves no index data, so the risk manager reads SPY's own 30-day at-the-money implied volatility.
/// For each expiration the ATM volatility is the call/put average interpolated in strike to the spot; the two expirations
/// around the target horizon are then interpolated linearly in total variance (σ²T), as the VIX methodology does.
/// </summary>
public static class AtTheMoneyVolatility
{
    /// <summary>Computes the proxy from a chain. Rates are decimals (0.04 = 4%).</summary>
    public static AtTheMoneyVolatilityResult Compute(OptionChain chain, double rate, double dividendYield, int targetDays = 30)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var spot = (double)chain.UnderlyingPrice;
        if (spot <= 0)
        {
            return new(false, double.NaN, null, null, $"underlying price {chain.UnderlyingPrice} is not positive");
        }

        var targetYears = targetDays / 365.0;
        (DateOnly Expiry, double Years, double Vol)? near = null, next = null;
        foreach (var expiration in chain.Expirations)
        {
            var years = ExpirationTime.YearsUntil(expiration, chain.AsOf);
            if (years <= 0)
            {
                continue;
            }

            var vol = ForExpiration(chain, expiration, spot, years, rate, dividendYield);
            if (vol is not { } v)
            {
                continue;
            }

            if (years <= targetYears)
            {
                near = (expiration, years, v); // keeps the latest one at or before the horizon
            }
            else if (next is null)
            {
                next = (expiration, years, v);
            }
        }

        if (near is { } n && next is { } x)
        {
            var weight = (targetYears - n.Years) / (x.Years - n.Years);
            var variance = n.Vol * n.Vol * n.Years + weight * (x.Vol * x.Vol * x.Years - n.Vol * n.Vol * n.Years);
            var vol = Math.Sqrt(Math.Max(variance, 0) / targetYears);
            return new(true, vol * 100.0, n.Expiry, x.Expiry,
                $"interpolated between {n.Expiry:yyyy-MM-dd} ({n.Vol * 100:F2}%) and {x.Expiry:yyyy-MM-dd} ({x.Vol * 100:F2}%)");
        }

        // One side only: the nearest available expiration stands in, and the message says so.
        if (near is { } only1)
        {
            return new(true, only1.Vol * 100.0, only1.Expiry, null, $"no expiration after {targetDays} days; used {only1.Expiry:yyyy-MM-dd} alone");
        }

        if (next is { } only2)
        {
            return new(true, only2.Vol * 100.0, null, only2.Expiry, $"no expiration within {targetDays} days; used {only2.Expiry:yyyy-MM-dd} alone");
        }

        return new(false, double.NaN, null, null, "no expiration has usable at-the-money quotes or implied volatilities");
    }

    /// <summary>At-the-money volatility of one expiration (decimal), or null when the strikes around the spot are unusable.</summary>
    public static double? ForExpiration(OptionChain chain, DateOnly expiration, double spot, double years, double rate, double dividendYield)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var byStrike = new SortedDictionary<decimal, (double Sum, int Count)>();
        foreach (var option in chain.ForExpiration(expiration))
        {
            var iv = UsableVolatility(option, spot, years, rate, dividendYield);
            if (iv is not { } v)
            {
                continue;
            }

            byStrike.TryGetValue(option.Strike, out var acc);
            byStrike[option.Strike] = (acc.Sum + v, acc.Count + 1);
        }

        (double Strike, double Vol)? below = null, above = null;
        foreach (var (strike, acc) in byStrike)
        {
            var k = (double)strike;
            var vol = acc.Sum / acc.Count;
            if (k <= spot)
            {
                below = (k, vol);
            }
            else
            {
                above = (k, vol);
                break;
            }
        }

        return (below, above) switch
        {
            ({ } b, { } a) => b.Vol + (a.Vol - b.Vol) * (spot - b.Strike) / (a.Strike - b.Strike),
            ({ } b, null) when b.Strike == spot => b.Vol,
            _ => null, // the spot is not bracketed by listed strikes: no honest at-the-money value
        };
    }

    private static double? UsableVolatility(OptionSnapshot option, double spot, double years, double rate, double dividendYield)
    {
        if (option.ImpliedVolatility is { } iv && double.IsFinite(iv) && iv > 0)
        {
            return iv;
        }

        var quote = option.Quote;
        if (quote.IsCrossed || quote.Bid <= 0 || quote.Ask <= 0)
        {
            return null;
        }

        var solved = ImpliedVolatility.Solve(option.Right, (double)quote.Mid, spot, (double)option.Strike, years, rate, dividendYield);
        return solved.Succeeded ? solved.Volatility : null;
    }
}
