using Trading.Core.Options;

namespace Trading.Core.Markets;

/// <summary>Market data: the same interface over Alpaca and the simulated market.</summary>
public interface IMarketData
{
    /// <summary>True for the simulated market; every record it touches is labelled so.</summary>
    bool IsSimulated { get; }

    Task<MarketClock> GetClockAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<TradingSession>> GetCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken);

    Task<UnderlyingQuote> GetQuoteAsync(string symbol, CancellationToken cancellationToken);

    Task<IReadOnlyList<PriceBar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    /// <summary>The chain (quotes, greeks, implied volatility) for expirations in [<paramref name="fromExpiration"/>, <paramref name="toExpiration"/>].</summary>
    Task<OptionChain> GetOptionChainAsync(string underlying, DateOnly fromExpiration, DateOnly toExpiration, CancellationToken cancellationToken);
}
