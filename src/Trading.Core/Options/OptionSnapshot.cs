namespace Trading.Core.Options;

/// <summary>One listed option at one moment: its symbol, quote and, when the feed has them, greeks and implied volatility.</summary>
public sealed record OptionSnapshot(OccSymbol Symbol, OptionQuote Quote, Greeks? Greeks, double? ImpliedVolatility)
{
    public decimal Strike => Symbol.Strike;

    public DateOnly Expiration => Symbol.Expiration;

    public OptionRight Right => Symbol.Right;
}
