using Trading.Core.Markets;
using Trading.Core.Options;
using Trading.Markets.Calendar;

namespace Trading.Markets.Simulation;

/// <summary>
/// Lists and prices the simulated options: SPY-like expirations (dailies, Friday weeklies, third-Friday monthlies),
/// $1 strikes near the money and $5 further out, a volatility surface with put skew and a regime-dependent term structure,
/// Black–Scholes quotes with a bid/ask spread model, and greeks.
/// </summary>
public sealed class OptionChainModel
{
    private const double LongRunVolatility = 0.18;
    private const double TermStructureYears = 0.25;
    private const double ThirtyDaysYears = 30 / 365.0;
    private const double SkewSlope = -1.6;
    private const double SkewCurvature = 1.5;

    private readonly SimulationSettings _settings;
    private readonly double _rate;
    private readonly double _dividendYield;

    public OptionChainModel(PricePath path, SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(settings);
        Path = path;
        _settings = settings;
        _rate = settings.RiskFreeRatePct / 100.0;
        _dividendYield = settings.DividendYieldPct / 100.0;
    }

    /// <summary>The underlying path the options are priced on.</summary>
    public PricePath Path { get; }

    /// <summary>Expirations listed at <paramref name="instant"/> (not yet expired), earliest first.</summary>
    public IReadOnlyList<DateOnly> ListedExpirations(DateTimeOffset instant)
    {
        var today = EasternTime.DateOf(instant);
        var horizon = Math.Max(_settings.DailyExpirationsHorizonDays, Math.Max(_settings.WeeklyExpirationsHorizonDays, _settings.MonthlyExpirationsHorizonDays));
        var list = new List<DateOnly>();
        for (var d = today; d <= today.AddDays(horizon); d = d.AddDays(1))
        {
            if (!NyseCalendar.IsTradingDay(d) || (d == today && instant >= NyseCalendar.CloseAt(d)))
            {
                continue;
            }

            var ahead = d.DayNumber - today.DayNumber;
            if (ahead <= _settings.DailyExpirationsHorizonDays
                || (ahead <= _settings.WeeklyExpirationsHorizonDays && IsWeeklyExpiration(d))
                || (ahead <= _settings.MonthlyExpirationsHorizonDays && IsMonthlyExpiration(d)))
            {
                list.Add(d);
            }
        }

        return list;
    }

    /// <summary>True for a Friday, or the Thursday before a Friday holiday (as with Good Friday).</summary>
    public static bool IsWeeklyExpiration(DateOnly date) =>
        NyseCalendar.IsTradingDay(date)
        && (date.DayOfWeek == DayOfWeek.Friday || (date.DayOfWeek == DayOfWeek.Thursday && NyseCalendar.IsHoliday(date.AddDays(1))));

    /// <summary>True for the third Friday of a month (or the trading day before it when it is a holiday).</summary>
    public static bool IsMonthlyExpiration(DateOnly date)
    {
        var third = EasternTime.NthWeekday(date.Year, date.Month, DayOfWeek.Friday, 3);
        return date == NyseCalendar.PreviousTradingDayOnOrBefore(third);
    }

    /// <summary>At-the-money implied volatility for <paramref name="years"/> to expiry given the volatility index (points).</summary>
    public static double AtTheMoneyVolatility(double volatilityIndexPoints, double years)
    {
        // Index level anchors the 30-day point; the curve relaxes towards the long-run level with tenor:
        // upward sloping when calm, inverted in a spike.
        var level = volatilityIndexPoints / 100.0;
        var t = Math.Max(years, 1 / 365.0);
        var shape = Decay(t) / Decay(ThirtyDaysYears);
        return Math.Clamp(LongRunVolatility + ((level - LongRunVolatility) * shape), 0.05, 1.5);

        static double Decay(double y) => (1 - Math.Exp(-y / TermStructureYears)) / (y / TermStructureYears);
    }

    /// <summary>Implied volatility with skew by moneyness (puts richer, calls cheaper, a mild smile far out).</summary>
    public static double ImpliedVolatility(double strike, double forward, double years, double volatilityIndexPoints)
    {
        var atm = AtTheMoneyVolatility(volatilityIndexPoints, years);
        var m = Math.Log(strike / forward) / Math.Sqrt(Math.Max(years, 1 / 365.0));
        m = Math.Clamp(m, -0.9, 0.9);
        var multiplier = 1 + (SkewSlope * m) + (SkewCurvature * m * m);
        return atm * Math.Clamp(multiplier, 0.55, 3.0);
    }

    /// <summary>Years from <paramref name="instant"/> to the expiration's close.</summary>
    public static double YearsToExpiry(DateOnly expiration, DateTimeOffset instant) =>
        Math.Max(0, (NyseCalendar.CloseAt(expiration) - instant).TotalDays / 365.0);

    /// <summary>The chain at <paramref name="instant"/> for expirations in [from, to].</summary>
    public OptionChain ChainAt(string underlying, DateTimeOffset instant, DateOnly fromExpiration, DateOnly toExpiration)
    {
        var (spot, index, regime, _) = Path.StateAt(instant);
        var spreadMultiplier = PricePath.SpreadMultiplier(regime);
        var snapshots = new List<OptionSnapshot>(2400);
        foreach (var expiration in ListedExpirations(instant))
        {
            if (expiration < fromExpiration || expiration > toExpiration)
            {
                continue;
            }

            var years = YearsToExpiry(expiration, instant);
            if (years <= 0)
            {
                continue;
            }

            var forward = spot * Math.Exp((_rate - _dividendYield) * years);
            foreach (var strike in ListedStrikes(spot, AtTheMoneyVolatility(index, years), years))
            {
                var vol = ImpliedVolatility(strike, forward, years, index);
                snapshots.Add(Price(underlying, expiration, OptionRight.Call, strike, spot, years, vol, spreadMultiplier));
                snapshots.Add(Price(underlying, expiration, OptionRight.Put, strike, spot, years, vol, spreadMultiplier));
            }
        }

        return new OptionChain(underlying, RoundCents(spot), instant, snapshots);
    }

    /// <summary>One contract's snapshot at an instant (any strike; after expiry it is worth its intrinsic value).</summary>
    public OptionSnapshot SnapshotAt(OccSymbol symbol, DateTimeOffset instant)
    {
        var (spot, index, regime, _) = Path.StateAt(instant);
        var years = YearsToExpiry(symbol.Expiration, instant);
        var strike = (double)symbol.Strike;
        var forward = spot * Math.Exp((_rate - _dividendYield) * years);
        var vol = ImpliedVolatility(strike, forward, years, index);
        return Price(symbol.Underlying, symbol.Expiration, symbol.Right, strike, spot, years, vol, PricePath.SpreadMultiplier(regime));
    }

    /// <summary>Strikes listed for one expiration: $1 apart within about one standard deviation, $5 apart out to about four.</summary>
    public static IEnumerable<double> ListedStrikes(double spot, double atmVolatility, double years)
    {
        var sd = atmVolatility * Math.Sqrt(Math.Max(years, 1 / 365.0));
        var near = spot * Math.Clamp(1.0 * sd, 0.02, 0.06);
        var farBelow = spot * Math.Clamp(4.0 * sd, 0.05, 0.40);
        var farAbove = spot * Math.Clamp(2.5 * sd, 0.04, 0.25);
        var lowest = Math.Ceiling((spot - farBelow) / 5) * 5;
        var highest = Math.Floor((spot + farAbove) / 5) * 5;
        var nearLow = Math.Ceiling(spot - near);
        var nearHigh = Math.Floor(spot + near);
        for (var k = lowest; k <= highest; k += 1)
        {
            if ((k >= nearLow && k <= nearHigh) || k % 5 == 0)
            {
                yield return k;
            }
        }
    }

    private OptionSnapshot Price(string underlying, DateOnly expiration, OptionRight right, double strike, double spot, double years, double vol, double spreadMultiplier)
    {
        var (theo, greeks) = BlackScholes.PriceWithGreeks(right, spot, strike, years, _rate, _dividendYield, vol);

        // Spread grows with price and with stress; bid rounds down and ask up, so both stay monotone in the theoretical price
        // and the theoretical value always lies inside the quote (which keeps put–call parity within the spread).
        var spread = Math.Min(0.01 + (0.012 * theo), 0.50) * spreadMultiplier;
        var bidCents = Math.Max(0, Math.Floor((theo - (spread / 2)) * 100));
        var askCents = Math.Max(bidCents + 1, Math.Ceiling((theo + (spread / 2)) * 100));
        var quote = new OptionQuote((decimal)bidCents / 100m, (decimal)askCents / 100m);
        var symbol = new OccSymbol(underlying, expiration, right, (decimal)strike);
        return new OptionSnapshot(symbol, quote, years > 0 ? greeks : null, years > 0 ? vol : null);
    }

    private static decimal RoundCents(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);
}
