using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Simulation;

namespace Trading.Pipeline.Tests.Support;

/// <summary>
/// The simulated market with holes a live feed can have: contracts missing from the chain and an underlying price set by the
/// test. Pass-through until a test arms it.
/// </summary>
public sealed class GappyMarket : IMarketData, IImpliedVolatilityHistory
{
    private readonly SimulatedMarket _inner;

    public GappyMarket(SimulatedMarket inner) => _inner = inner;

    /// <summary>OCC symbols the chain leaves out.</summary>
    public HashSet<string> Hidden { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the underlying's quote (and the chain's underlying price).</summary>
    public decimal? Underlying { get; set; }

    public bool IsSimulated => _inner.IsSimulated;

    public Task<MarketClock> GetClockAsync(CancellationToken cancellationToken) => _inner.GetClockAsync(cancellationToken);

    public Task<IReadOnlyList<TradingSession>> GetCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        _inner.GetCalendarAsync(from, to, cancellationToken);

    public async Task<UnderlyingQuote> GetQuoteAsync(string symbol, CancellationToken cancellationToken)
    {
        var quote = await _inner.GetQuoteAsync(symbol, cancellationToken);
        return Underlying is { } price ? quote with { Bid = price - 0.01m, Ask = price + 0.01m, Last = price } : quote;
    }

    public Task<IReadOnlyList<PriceBar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        _inner.GetDailyBarsAsync(symbol, from, to, cancellationToken);

    public async Task<OptionChain> GetOptionChainAsync(string underlying, DateOnly fromExpiration, DateOnly toExpiration, CancellationToken cancellationToken)
    {
        var chain = await _inner.GetOptionChainAsync(underlying, fromExpiration, toExpiration, cancellationToken);
        return new OptionChain(chain.Underlying, Underlying ?? chain.UnderlyingPrice, chain.AsOf, chain.All.Where(o => !Hidden.Contains(o.Symbol.ToString())));
    }

    public IReadOnlyList<DailyImpliedVolatility> AtmIv30History(DateOnly from, DateOnly to) => _inner.AtmIv30History(from, to);
}
