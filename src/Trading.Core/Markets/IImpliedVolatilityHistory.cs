using Trading.Core.Options;

namespace Trading.Core.Markets;

/// <summary>
/// A market that can say what its 30-day at-the-money implied volatility was on past days. The simulated market can (it knows
/// its own path), so a backtest or a first local run starts with a year of history; a live feed builds the history one
/// snapshot a day instead.
/// </summary>
public interface IImpliedVolatilityHistory
{
    /// <summary>The value at each session's close in [<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    IReadOnlyList<DailyImpliedVolatility> AtmIv30History(DateOnly from, DateOnly to);
}
