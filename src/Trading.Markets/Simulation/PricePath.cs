using Trading.Core.Markets;
using Trading.Markets.Calendar;

namespace Trading.Markets.Simulation;

/// <summary>One simulated trading day of the underlying.</summary>
public sealed record SimulatedDay(
    DateOnly Date,
    MarketRegime Regime,
    double PreviousClose,
    double Open,
    double High,
    double Low,
    double Close,
    double VolatilityIndexOpen,
    double VolatilityIndexClose,
    long Volume)
{
    // Log-price at the session's 13 half-hour knots plus the open (index 0) and the close (index 13).
    internal double[] LogKnots { get; init; } = [];
}

/// <summary>
/// The underlying's regime-switching price path. Each trading day is generated from the seed and the day's number alone
/// (its own seeded generator), continuing from the previous close, and cached: the same seed always yields the same path,
/// whatever order days are asked for in.
/// </summary>
public sealed class PricePath
{
    private const int Knots = 13;
    private const double TradingDaysPerYear = 252;

    // Per-regime annual drift and volatility, and the volatility index each regime pulls towards (points).
    private static readonly (double Drift, double Vol, double TargetIndex, double SpreadMultiplier)[] RegimeParameters =
    [
        (0.12, 0.10, 13, 1.0), // Calm
        (0.18, 0.14, 16, 1.0), // Trending
        (-0.05, 0.24, 24, 1.5), // Volatile
        (-0.40, 0.45, 38, 2.5), // Spike
    ];

    // Daily transition probabilities, rows = from, columns = to (Calm, Trending, Volatile, Spike).
    private static readonly double[][] Transitions =
    [
        [0.968, 0.020, 0.010, 0.002],
        [0.030, 0.948, 0.020, 0.002],
        [0.030, 0.030, 0.920, 0.020],
        [0.000, 0.000, 0.250, 0.750],
    ];

    private readonly SimulationSettings _settings;
    private readonly List<SimulatedDay> _days = [];
    private readonly Dictionary<DateOnly, int> _index = [];
    private readonly Lock _gate = new();

    public PricePath(SimulationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        FirstDay = NyseCalendar.NextTradingDayOnOrAfter(settings.PathStartDate);
    }

    /// <summary>The first simulated trading day.</summary>
    public DateOnly FirstDay { get; }

    /// <summary>The bid/ask spread multiplier for a regime (wider in stress).</summary>
    public static double SpreadMultiplier(MarketRegime regime) => RegimeParameters[(int)regime].SpreadMultiplier;

    /// <summary>The last trading day on or before <paramref name="date"/> (throws before the path starts).</summary>
    public SimulatedDay DayOnOrBefore(DateOnly date)
    {
        if (date < FirstDay)
        {
            throw new ArgumentOutOfRangeException(nameof(date), date,
                $"The simulated market starts on {FirstDay:yyyy-MM-dd} (Simulation:PathStartDate); there is no price before it.");
        }

        var tradingDay = NyseCalendar.PreviousTradingDayOnOrBefore(date);
        lock (_gate)
        {
            while (_days.Count == 0 || _days[^1].Date < tradingDay)
            {
                GenerateNext();
            }

            return _days[_index[tradingDay]];
        }
    }

    /// <summary>The underlying's price at an instant: previous close before the open, the intraday path in session, the close after.</summary>
    public double SpotAt(DateTimeOffset instant) => StateAt(instant).Spot;

    /// <summary>Spot, volatility index (points) and regime at an instant.</summary>
    public (double Spot, double VolatilityIndex, MarketRegime Regime, SimulatedDay Day) StateAt(DateTimeOffset instant)
    {
        var date = EasternTime.DateOf(instant);
        var day = DayOnOrBefore(date);
        if (day.Date != date)
        {
            return (day.Close, day.VolatilityIndexClose, day.Regime, day);
        }

        var open = NyseCalendar.OpenAt(date);
        var close = NyseCalendar.CloseAt(date);
        if (instant < open)
        {
            return (day.PreviousClose, day.VolatilityIndexOpen, day.Regime, day);
        }

        if (instant >= close)
        {
            return (day.Close, day.VolatilityIndexClose, day.Regime, day);
        }

        var fraction = (instant - open).Ticks / (double)(close - open).Ticks;
        var position = fraction * Knots;
        var k = Math.Min((int)position, Knots - 1);
        var w = position - k;
        var logPrice = (day.LogKnots[k] * (1 - w)) + (day.LogKnots[k + 1] * w);
        var index = day.VolatilityIndexOpen + ((day.VolatilityIndexClose - day.VolatilityIndexOpen) * fraction);
        return (Math.Exp(logPrice), index, day.Regime, day);
    }

    private void GenerateNext()
    {
        double previousClose;
        double previousIndex;
        MarketRegime previousRegime;
        DateOnly date;
        if (_days.Count == 0)
        {
            previousClose = (double)_settings.InitialSpotDollars;
            previousIndex = _settings.InitialVolatilityIndexPoints;
            previousRegime = MarketRegime.Calm;
            date = FirstDay;
        }
        else
        {
            var last = _days[^1];
            previousClose = last.Close;
            previousIndex = last.VolatilityIndexClose;
            previousRegime = last.Regime;
            date = NyseCalendar.NextTradingDayOnOrAfter(last.Date.AddDays(1));
        }

        var random = new Random(DaySeed(_settings.Seed, date));
        var regime = NextRegime(previousRegime, random.NextDouble());
        var (drift, vol, targetIndex, _) = RegimeParameters[(int)regime];

        // Realised volatility follows the volatility index loosely (implied usually trades above realised).
        var dailyVol = vol / Math.Sqrt(TradingDaysPerYear);
        var zReturn = Gaussian(random);
        var zIndex = (-0.7 * zReturn) + (0.714 * Gaussian(random));
        var zGap = Gaussian(random);

        var open = previousClose * Math.Exp(0.3 * dailyVol * zGap);
        var close = previousClose * Math.Exp(((drift - (vol * vol / 2)) / TradingDaysPerYear) + (dailyVol * zReturn));

        var index = previousIndex + (0.15 * (targetIndex - previousIndex)) + (0.05 * previousIndex * zIndex);
        index = Math.Clamp(index, 9, 85);

        // A Brownian bridge from the open to the close through 13 half-hour knots.
        var knots = new double[Knots + 1];
        var walk = new double[Knots + 1];
        for (var i = 1; i <= Knots; i++)
        {
            walk[i] = walk[i - 1] + (Gaussian(random) / Math.Sqrt(Knots));
        }

        var logOpen = Math.Log(open);
        var logMove = Math.Log(close / open);
        var intradayVol = 0.8 * dailyVol;
        double high = open, low = open;
        for (var i = 0; i <= Knots; i++)
        {
            var t = i / (double)Knots;
            knots[i] = logOpen + (t * logMove) + (intradayVol * (walk[i] - (t * walk[Knots])));
            var price = Math.Exp(knots[i]);
            high = Math.Max(high, price);
            low = Math.Min(low, price);
        }

        knots[Knots] = Math.Log(close);
        high = Math.Max(high, close);
        low = Math.Min(low, close);
        var volume = (long)(60_000_000 * (1 + (0.3 * Math.Abs(zReturn))) * (regime >= MarketRegime.Volatile ? 1.6 : 1.0));

        var day = new SimulatedDay(date, regime, previousClose, open, high, low, close, previousIndex, index, volume) { LogKnots = knots };
        _index[date] = _days.Count;
        _days.Add(day);
    }

    private static MarketRegime NextRegime(MarketRegime from, double u)
    {
        var row = Transitions[(int)from];
        var cumulative = 0.0;
        for (var i = 0; i < row.Length; i++)
        {
            cumulative += row[i];
            if (u < cumulative)
            {
                return (MarketRegime)i;
            }
        }

        return from;
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 − U keeps the logarithm finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    // SplitMix64 of (seed, day number): a stable per-day seed (string.GetHashCode and HashCode are randomised per process).
    private static int DaySeed(int seed, DateOnly date)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) ^ (ulong)date.DayNumber;
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFFFFFF);
        }
    }
}
