namespace Trading.Core.Markets;

/// <summary>The market's volatility regime, used by the sampler, trade memory and the simulated market.</summary>
public enum MarketRegime
{
    Calm,
    Trending,
    Volatile,
    Spike,
}
