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

    // Curvature is kept small enough that |dσ/dm|·|m| ≤ σ over the clamped range: a steeper smile would make deep
    // out-of-the-money put (or call) prices fall (rise) with strike, an arbitrage.
    private const double PutSideCurvature = 0.5;
    private const double CallSideCurvature = 1.0;

    private readonly SimulationSettings _settings;
    private readonly Dictionary<DateOnly, ListedBand> _bands = [];
    private readonly Lock _bandsGate = new();
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
    public static double ImpliedVolatility(double strike, double forward, double years, double volatilityIndexPoints) =>
        SkewedVolatility(strike, forward, years, AtTheMoneyVolatility(volatilityIndexPoints, years));

    private static double SkewedVolatility(double strike, double forward, double years, double atm)
    {
        var m = Math.Log(strike / forward) / Math.Sqrt(Math.Max(years, 1 / 365.0));
        m = Math.Clamp(m, -0.9, 0.9);
        var curvature = m < 0 ? PutSideCurvature : CallSideCurvature;
        var multiplier = 1 + (SkewSlope * m) + (curvature * m * m);
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

            AddExpiration(snapshots, underlying, expiration, instant, spot, index, years, spreadMultiplier);
        }

        return new OptionChain(underlying, RoundCents(spot), instant, snapshots);
    }

    private void AddExpiration(List<OptionSnapshot> snapshots, string underlying, DateOnly expiration, DateTimeOffset instant, double spot, double index, double years, double spreadMultiplier)
    {
        var forward = spot * Math.Exp((_rate - _dividendYield) * years);
        var atm = AtTheMoneyVolatility(index, years);
        var strikes = StrikesListedFor(expiration, instant, spot, atm, years);
        var n = strikes.Length;
        var vols = new double[n];
        var calls = new (double Price, Greeks Greeks)[n];
        var puts = new (double Price, Greeks Greeks)[n];
        for (var i = 0; i < n; i++)
        {
            vols[i] = SkewedVolatility(strikes[i], forward, years, atm);
            calls[i] = BlackScholes.PriceWithGreeks(OptionRight.Call, spot, strikes[i], years, _rate, _dividendYield, vols[i]);
            puts[i] = BlackScholes.PriceWithGreeks(OptionRight.Put, spot, strikes[i], years, _rate, _dividendYield, vols[i]);
        }

        // A smile is only approximately arbitrage-free far out of the money; where it is not, flatten the wing (puts must not
        // fall as the strike rises, calls must not rise) and re-derive the other right by put–call parity so parity stays exact.
        var spotCarry = spot * Math.Exp(-_dividendYield * years);
        var discount = Math.Exp(-_rate * years);
        for (var i = n - 2; i >= 0; i--)
        {
            if (puts[i].Price > puts[i + 1].Price)
            {
                puts[i].Price = puts[i + 1].Price;
                calls[i].Price = puts[i].Price + spotCarry - (strikes[i] * discount);
            }
        }

        for (var i = 1; i < n; i++)
        {
            if (calls[i].Price > calls[i - 1].Price)
            {
                calls[i].Price = calls[i - 1].Price;
                puts[i].Price = calls[i].Price - spotCarry + (strikes[i] * discount);
            }
        }

        for (var i = 0; i < n; i++)
        {
            snapshots.Add(Snapshot(underlying, expiration, OptionRight.Call, strikes[i], calls[i].Price, calls[i].Greeks, vols[i], years, spreadMultiplier));
            snapshots.Add(Snapshot(underlying, expiration, OptionRight.Put, strikes[i], puts[i].Price, puts[i].Greeks, vols[i], years, spreadMultiplier));
        }
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

    /// <summary>
    /// Strikes listed for one expiration: $1 apart within two and a half standard deviations (capped at 15% of spot), $5 apart out to 2½
    /// below and 1¾ above. The $1 band is wide so that an open condor's strikes (about one deviation out at entry) stay listed,
    /// and priceable by position management, after the underlying moves.
    /// </summary>
    public static IEnumerable<double> ListedStrikes(double spot, double atmVolatility, double years) =>
        ListedBand.Around(spot, atmVolatility, years).Strikes();

    /// <summary>The $1 band near the money and the $5 band further out, as strike bounds.</summary>
    private sealed record ListedBand(double NearLow, double NearHigh, double Lowest, double Highest, DateOnly Through)
    {
        public static ListedBand Around(double spot, double atmVolatility, double years)
        {
            // Listed strikes do not shrink as expiry nears (a series keeps the strikes it was listed with), so the band is sized
            // on at least a 60-day horizon.
            var sd = atmVolatility * Math.Sqrt(Math.Max(years, 60 / 365.0));
            var near = spot * Math.Clamp(2.5 * sd, 0.015, 0.15);
            var farBelow = spot * Math.Clamp(2.5 * sd, 0.04, 0.25);
            var farAbove = spot * Math.Clamp(1.75 * sd, 0.03, 0.15);
            return new ListedBand(Math.Ceiling(spot - near), Math.Floor(spot + near), Math.Ceiling((spot - farBelow) / 5) * 5, Math.Floor((spot + farAbove) / 5) * 5, default);
        }

        public ListedBand Union(ListedBand other) => this with
        {
            NearLow = Math.Min(NearLow, other.NearLow),
            NearHigh = Math.Max(NearHigh, other.NearHigh),
            Lowest = Math.Min(Lowest, other.Lowest),
            Highest = Math.Max(Highest, other.Highest),
        };

        public IEnumerable<double> Strikes()
        {
            for (var k = Lowest; k <= Highest; k += 1)
            {
                if ((k >= NearLow && k <= NearHigh) || k % 5 == 0)
                {
                    yield return k;
                }
            }
        }
    }

    /// <summary>
    /// The strikes of one expiration as an exchange lists them: a strike, once listed, stays listed until the expiration, so the
    /// band is the union of the bands around every price the underlying has traded at since the expiration was listed (and
    /// an open condor's strikes never vanish from the chain because the underlying moved).
    /// </summary>
    private double[] StrikesListedFor(DateOnly expiration, DateTimeOffset instant, double spot, double atm, double years)
    {
        var today = ListedBand.Around(spot, atm, years);
        ListedBand band;
        lock (_bandsGate)
        {
            var listed = ListingDate(expiration);
            var current = EasternTime.DateOf(instant);
            if (!_bands.TryGetValue(expiration, out var past) || past.Through >= current)
            {
                // Never a band that has seen sessions after the one asked about: same seed and time, same chain.
                past = new ListedBand(double.MaxValue, double.MinValue, double.MaxValue, double.MinValue, listed.AddDays(-1));
            }

            // Completed sessions from the listing date up to (not including) the current one, extended incrementally.
            for (var d = past.Through.AddDays(1); d < current; d = d.AddDays(1))
            {
                if (NyseCalendar.IsTradingDay(d) && d >= Path.FirstDay)
                {
                    var day = Path.DayOnOrBefore(d);
                    var y = YearsToExpiry(expiration, NyseCalendar.CloseAt(d));
                    var vol = AtTheMoneyVolatility(day.VolatilityIndexClose, y);
                    past = past.Union(ListedBand.Around(day.Low, vol, y)).Union(ListedBand.Around(day.High, vol, y));
                }

                past = past with { Through = d };
            }

            _bands[expiration] = past;
            band = past.Union(today);
        }

        return band.Strikes().ToArray();
    }

    /// <summary>The day an expiration is first listed (its horizon before it), not before the simulated path starts.</summary>
    private DateOnly ListingDate(DateOnly expiration)
    {
        var horizon = IsMonthlyExpiration(expiration) ? _settings.MonthlyExpirationsHorizonDays
            : IsWeeklyExpiration(expiration) ? _settings.WeeklyExpirationsHorizonDays
            : _settings.DailyExpirationsHorizonDays;
        var listed = expiration.AddDays(-horizon);
        return listed < Path.FirstDay ? Path.FirstDay : listed;
    }

    private OptionSnapshot Price(string underlying, DateOnly expiration, OptionRight right, double strike, double spot, double years, double vol, double spreadMultiplier)
    {
        var (theo, greeks) = BlackScholes.PriceWithGreeks(right, spot, strike, years, _rate, _dividendYield, vol);
        return Snapshot(underlying, expiration, right, strike, theo, greeks, vol, years, spreadMultiplier);
    }

    private static OptionSnapshot Snapshot(string underlying, DateOnly expiration, OptionRight right, double strike, double theo, Greeks greeks, double vol, double years, double spreadMultiplier)
    {
        theo = Math.Max(theo, 0);

        // Spread grows with price and with stress; bid rounds down and ask up, so both stay monotone in the theoretical price
        // and the theoretical value always lies inside the quote (which keeps put–call parity within the spread).
        // Calm-market SPY options under a few dollars quote one or two cents wide; the cent rounding adds up to a cent a side.
        var spread = Math.Min(0.005 + (0.006 * theo), 0.50) * spreadMultiplier;
        var bidCents = Math.Max(0, Math.Floor((theo - (spread / 2)) * 100));
        var askCents = Math.Max(bidCents + 1, Math.Ceiling((theo + (spread / 2)) * 100));
        // Cents as a scaled decimal: exact and much cheaper than a decimal division in this hot loop.
        var quote = new OptionQuote(new decimal((int)bidCents, 0, 0, false, 2), new decimal((int)askCents, 0, 0, false, 2));
        var symbol = new OccSymbol(underlying, expiration, right, strike == Math.Floor(strike) ? new decimal((int)strike) : (decimal)strike);
        return new OptionSnapshot(symbol, quote, years > 0 ? greeks : null, years > 0 ? vol : null);
    }

    private static decimal RoundCents(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);
}
