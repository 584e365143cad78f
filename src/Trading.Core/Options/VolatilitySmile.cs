namespace Trading.Core.Options;

/// <summary>
/// Prices an option the chain does not quote (a strike that vanished from a snapshot, a paged-out contract) from the implied
/// volatilities of its listed neighbours in the same expiration and right: linear in strike between them, flat beyond.
/// </summary>
public static class VolatilitySmile
{
    /// <summary>The implied volatility (decimal) at <paramref name="strike"/>, or null when the expiration has no usable IV.</summary>
    public static double? VolatilityAt(OptionChain chain, DateOnly expiration, OptionRight right, decimal strike)
    {
        ArgumentNullException.ThrowIfNull(chain);
        (decimal Strike, double Vol)? below = null, above = null;
        foreach (var option in chain.ForExpiration(expiration, right))
        {
            if (option.ImpliedVolatility is not { } iv || !double.IsFinite(iv) || iv <= 0)
            {
                continue;
            }

            if (option.Strike <= strike && (below is null || option.Strike > below.Value.Strike))
            {
                below = (option.Strike, iv);
            }

            if (option.Strike >= strike && (above is null || option.Strike < above.Value.Strike))
            {
                above = (option.Strike, iv);
            }
        }

        return (below, above) switch
        {
            ({ } b, { } a) when a.Strike == b.Strike => b.Vol,
            ({ } b, { } a) => b.Vol + ((a.Vol - b.Vol) * (double)((strike - b.Strike) / (a.Strike - b.Strike))),
            ({ } b, null) => b.Vol,
            (null, { } a) => a.Vol,
            _ => null,
        };
    }

    /// <summary>
    /// A model quote for <paramref name="symbol"/>: the Black–Scholes value at the smile's volatility, widened by
    /// <paramref name="halfSpreadPct"/> percent (at least a cent) each side, so that a close priced from it is not optimistic.
    /// Null when the smile has no volatility for the expiration.
    /// </summary>
    public static OptionQuote? ModelQuote(OptionChain chain, OccSymbol symbol, double rate, double dividendYield, double halfSpreadPct = 5)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (VolatilityAt(chain, symbol.Expiration, symbol.Right, symbol.Strike) is not { } vol)
        {
            return null;
        }

        var years = ExpirationTime.YearsUntil(symbol.Expiration, chain.AsOf);
        var value = (decimal)BlackScholes.Price(symbol.Right, (double)chain.UnderlyingPrice, (double)symbol.Strike, years, rate, dividendYield, vol);
        var half = Math.Max(0.01m, value * (decimal)halfSpreadPct / 100m);
        return new OptionQuote(Math.Max(0m, decimal.Round(value - half, 2, MidpointRounding.ToZero)), decimal.Round(value + half, 2, MidpointRounding.AwayFromZero));
    }
}
