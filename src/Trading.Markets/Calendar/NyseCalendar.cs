using System.Collections.Concurrent;
using Trading.Core.Markets;

namespace Trading.Markets.Calendar;

/// <summary>
/// The NYSE trading calendar: regular hours 9:30–16:00 ET, full-day holidays and 13:00 early closes.
/// Holidays follow the exchange's rules (observed on Friday/Monday when they fall on a weekend; New Year's Day on a Saturday
/// is not observed), plus one-off closures such as the national day of mourning on 2025-01-09. Checked against the
/// published 2025–2027 calendars.
/// </summary>
public static class NyseCalendar
{
    /// <summary>Regular open, Eastern time.</summary>
    public static readonly TimeOnly RegularOpen = new(9, 30);

    /// <summary>Regular close, Eastern time.</summary>
    public static readonly TimeOnly RegularClose = new(16, 0);

    /// <summary>Close on early-close days, Eastern time.</summary>
    public static readonly TimeOnly EarlyClose = new(13, 0);

    // Exchange closures announced outside the usual rules.
    private static readonly HashSet<DateOnly> SpecialClosures = [new DateOnly(2025, 1, 9)];

    private static readonly ConcurrentDictionary<int, YearCalendar> Years = new();
    private static readonly Func<int, YearCalendar> BuildYear = Build;

    /// <summary>True when the exchange is closed all day (weekend or holiday).</summary>
    public static bool IsHoliday(DateOnly date) => ForYear(date.Year).Holidays.Contains(date);

    /// <summary>True on a weekday the exchange trades.</summary>
    public static bool IsTradingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>True when the session closes at 13:00 ET.</summary>
    public static bool IsEarlyClose(DateOnly date) => IsTradingDay(date) && ForYear(date.Year).EarlyCloses.Contains(date);

    /// <summary>The session of a date, or null when the exchange is closed.</summary>
    public static TradingSession? SessionOn(DateOnly date) =>
        IsTradingDay(date) ? new TradingSession(date, RegularOpen, IsEarlyClose(date) ? EarlyClose : RegularClose) : null;

    /// <summary>Sessions in [from, to].</summary>
    public static IReadOnlyList<TradingSession> Sessions(DateOnly from, DateOnly to)
    {
        var list = new List<TradingSession>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (SessionOn(d) is { } s)
            {
                list.Add(s);
            }
        }

        return list;
    }

    /// <summary>The first trading day on or after <paramref name="date"/>.</summary>
    public static DateOnly NextTradingDayOnOrAfter(DateOnly date)
    {
        while (!IsTradingDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The last trading day on or before <paramref name="date"/>.</summary>
    public static DateOnly PreviousTradingDayOnOrBefore(DateOnly date)
    {
        while (!IsTradingDay(date))
        {
            date = date.AddDays(-1);
        }

        return date;
    }

    /// <summary>Session open as an instant.</summary>
    public static DateTimeOffset OpenAt(DateOnly date) => EasternTime.At(date, RegularOpen);

    /// <summary>Session close as an instant (13:00 ET on early-close days).</summary>
    public static DateTimeOffset CloseAt(DateOnly date) => EasternTime.At(date, IsEarlyClose(date) ? EarlyClose : RegularClose);

    /// <summary>True when the regular session is open at <paramref name="instant"/>.</summary>
    public static bool IsOpenAt(DateTimeOffset instant)
    {
        var date = EasternTime.DateOf(instant);
        return IsTradingDay(date) && instant >= OpenAt(date) && instant < CloseAt(date);
    }

    /// <summary>The market clock at <paramref name="instant"/>, shaped like Alpaca's <c>GET /v2/clock</c>.</summary>
    public static MarketClock ClockAt(DateTimeOffset instant)
    {
        var eastern = EasternTime.ToEastern(instant);
        var date = DateOnly.FromDateTime(eastern.DateTime);
        var isOpen = IsOpenAt(instant);

        // next_open: today's open if still ahead, else the next trading day's; next_close: the current or next session's close.
        var openDay = IsTradingDay(date) && instant < OpenAt(date) ? date : NextTradingDayOnOrAfter(date.AddDays(1));
        var closeDay = IsTradingDay(date) && instant < CloseAt(date) ? date : NextTradingDayOnOrAfter(date.AddDays(1));
        return new MarketClock(eastern, isOpen, EasternTime.ToEastern(OpenAt(openDay)), EasternTime.ToEastern(CloseAt(closeDay)));
    }

    private static YearCalendar ForYear(int year) => Years.GetOrAdd(year, BuildYear);

    private static YearCalendar Build(int year)
    {
        var holidays = new HashSet<DateOnly>();
        var newYear = new DateOnly(year, 1, 1);
        if (newYear.DayOfWeek == DayOfWeek.Sunday)
        {
            holidays.Add(newYear.AddDays(1));
        }
        else if (newYear.DayOfWeek != DayOfWeek.Saturday)
        {
            holidays.Add(newYear);
        }

        holidays.Add(EasternTime.NthWeekday(year, 1, DayOfWeek.Monday, 3)); // Martin Luther King Jr. Day
        holidays.Add(EasternTime.NthWeekday(year, 2, DayOfWeek.Monday, 3)); // Washington's Birthday
        holidays.Add(EasterSunday(year).AddDays(-2)); // Good Friday
        holidays.Add(EasternTime.LastWeekday(year, 5, DayOfWeek.Monday)); // Memorial Day
        if (year >= 2022)
        {
            holidays.Add(Observed(new DateOnly(year, 6, 19))); // Juneteenth
        }

        holidays.Add(Observed(new DateOnly(year, 7, 4)));
        holidays.Add(EasternTime.NthWeekday(year, 9, DayOfWeek.Monday, 1)); // Labor Day
        var thanksgiving = EasternTime.NthWeekday(year, 11, DayOfWeek.Thursday, 4);
        holidays.Add(thanksgiving);
        holidays.Add(Observed(new DateOnly(year, 12, 25)));
        foreach (var special in SpecialClosures.Where(d => d.Year == year))
        {
            holidays.Add(special);
        }

        var early = new HashSet<DateOnly>();
        var july3 = new DateOnly(year, 7, 3);
        if (july3.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(july3))
        {
            early.Add(july3);
        }

        early.Add(thanksgiving.AddDays(1));
        var christmasEve = new DateOnly(year, 12, 24);
        if (christmasEve.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(christmasEve))
        {
            early.Add(christmasEve);
        }

        return new YearCalendar(holidays, early);
    }

    private static DateOnly Observed(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Saturday => date.AddDays(-1),
        DayOfWeek.Sunday => date.AddDays(1),
        _ => date,
    };

    // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    private static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    private sealed record YearCalendar(HashSet<DateOnly> Holidays, HashSet<DateOnly> EarlyCloses);
}
