using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Calendar;

namespace Trading.Markets.Simulation;

/// <summary>
/// The simulated SPY market: a seeded regime-switching path, NYSE hours and holidays, and Black–Scholes option chains.
/// Time comes from the <see cref="TimeProvider"/> (a backtest advances it). Same seed and same time → same answers.
/// </summary>
public sealed class SimulatedMarket : IMarketData, IImpliedVolatilityHistory
{
    private readonly TimeProvider _time;

    public SimulatedMarket(SimulationSettings settings, TimeProvider timeProvider)
        : this(new OptionChainModel(new PricePath(settings), settings), timeProvider)
    {
    }

    public SimulatedMarket(OptionChainModel model, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Model = model;
        _time = timeProvider;
    }

    /// <summary>The pricing model (shared with the simulated broker so fills use the same quotes).</summary>
    public OptionChainModel Model { get; }

    public bool IsSimulated => true;

    /// <summary>The regime at the current time.</summary>
    public MarketRegime CurrentRegime => Model.Path.StateAt(_time.GetUtcNow()).Regime;

    /// <summary>The volatility index (VIX equivalent, points) at the current time.</summary>
    public double CurrentVolatilityIndex => Model.Path.StateAt(_time.GetUtcNow()).VolatilityIndex;

    public Task<MarketClock> GetClockAsync(CancellationToken cancellationToken) =>
        Task.FromResult(NyseCalendar.ClockAt(_time.GetUtcNow()));

    public Task<IReadOnlyList<TradingSession>> GetCalendarAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult(NyseCalendar.Sessions(from, to));

    public Task<UnderlyingQuote> GetQuoteAsync(string symbol, CancellationToken cancellationToken)
    {
        RequireSpy(symbol);
        var now = _time.GetUtcNow();
        var last = Math.Round((decimal)Model.Path.SpotAt(now), 2, MidpointRounding.AwayFromZero);
        return Task.FromResult(new UnderlyingQuote(symbol, last - 0.01m, last + 0.01m, last, now));
    }

    public Task<IReadOnlyList<PriceBar>> GetDailyBarsAsync(string symbol, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        RequireSpy(symbol);
        var now = _time.GetUtcNow();
        var today = EasternTime.DateOf(now);
        var bars = new List<PriceBar>();
        var start = from < Model.Path.FirstDay ? Model.Path.FirstDay : from;
        for (var d = start; d <= to; d = d.AddDays(1))
        {
            // Only completed sessions: no peeking at a close that has not happened yet.
            if (!NyseCalendar.IsTradingDay(d) || d > today || (d == today && now < NyseCalendar.CloseAt(d)))
            {
                continue;
            }

            var day = Model.Path.DayOnOrBefore(d);
            bars.Add(new PriceBar(EasternTime.ToEastern(NyseCalendar.OpenAt(d)), Cents(day.Open), Cents(day.High), Cents(day.Low), Cents(day.Close), day.Volume));
        }

        return Task.FromResult<IReadOnlyList<PriceBar>>(bars);
    }

    public Task<OptionChain> GetOptionChainAsync(string underlying, DateOnly fromExpiration, DateOnly toExpiration, CancellationToken cancellationToken)
    {
        RequireSpy(underlying);
        return Task.FromResult(Model.ChainAt(underlying, _time.GetUtcNow(), fromExpiration, toExpiration));
    }

    /// <summary>The model's 30-day at-the-money volatility at each simulated session's close (never today before the close).</summary>
    public IReadOnlyList<DailyImpliedVolatility> AtmIv30History(DateOnly from, DateOnly to)
    {
        var now = _time.GetUtcNow();
        var today = EasternTime.DateOf(now);
        var list = new List<DailyImpliedVolatility>();
        for (var d = from < Model.Path.FirstDay ? Model.Path.FirstDay : from; d <= to; d = d.AddDays(1))
        {
            if (!NyseCalendar.IsTradingDay(d) || d > today || (d == today && now < NyseCalendar.CloseAt(d)))
            {
                continue;
            }

            var index = Model.Path.DayOnOrBefore(d).VolatilityIndexClose;
            list.Add(new DailyImpliedVolatility(d, Math.Round(OptionChainModel.AtTheMoneyVolatility(index, 30 / 365.0) * 100, 2)));
        }

        return list;
    }

    private static decimal Cents(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);

    private static void RequireSpy(string symbol)
    {
        if (!string.Equals(symbol, "SPY", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The simulated market only lists SPY, not '{symbol}'.", nameof(symbol));
        }
    }
}
