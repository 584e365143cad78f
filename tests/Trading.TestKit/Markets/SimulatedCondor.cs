using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Calendar;
using Trading.Markets.Simulation;

namespace Trading.TestKit.Markets;

/// <summary>An opening SPY iron condor on the simulated chain, for broker tests: 15-delta shorts, $5 wings.</summary>
public static class SimulatedCondor
{
    /// <summary>
    /// The four opening legs for the first Friday expiration at least 30 days after <paramref name="at"/>, the net mid
    /// credit and the wing width.
    /// </summary>
    public static (List<OrderLeg> Legs, decimal Mid, decimal Width) At(OptionChainModel model, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(model);
        var chain = model.ChainAt("SPY", at, DateOnly.MinValue, DateOnly.MaxValue);
        var today = EasternTime.DateOf(at);
        var expiration = chain.Expirations.First(e => e.DayOfWeek == DayOfWeek.Friday && e.DayNumber - today.DayNumber >= 30);
        var puts = chain.ForExpiration(expiration, OptionRight.Put).ToList();
        var calls = chain.ForExpiration(expiration, OptionRight.Call).ToList();
        var shortPut = puts.Where(p => p.Strike % 5 == 0).MinBy(p => Math.Abs(p.Greeks!.Value.Delta + 0.15))!;
        var shortCall = calls.Where(p => p.Strike % 5 == 0).MinBy(p => Math.Abs(p.Greeks!.Value.Delta - 0.15))!;
        var longPut = puts.Single(p => p.Strike == shortPut.Strike - 5);
        var longCall = calls.Single(p => p.Strike == shortCall.Strike + 5);
        List<OrderLeg> legs =
        [
            new(longPut.Symbol, OrderSide.Buy, PositionIntent.BuyToOpen),
            new(shortPut.Symbol, OrderSide.Sell, PositionIntent.SellToOpen),
            new(shortCall.Symbol, OrderSide.Sell, PositionIntent.SellToOpen),
            new(longCall.Symbol, OrderSide.Buy, PositionIntent.BuyToOpen),
        ];
        return (legs, shortPut.Quote.Mid + shortCall.Quote.Mid - longPut.Quote.Mid - longCall.Quote.Mid, 5m);
    }
}
