namespace Trading.Markets.Calendar;

/// <summary>
/// US Eastern time (America/New_York) by the post-2007 DST rule, computed rather than looked up so that the
/// simulator gives the same answers on every machine, with or without a time-zone database.
/// </summary>
public static class EasternTime
{
    /// <summary>The UTC offset in force at <paramref name="utc"/>: −4 h in daylight saving time, −5 h otherwise.</summary>
    public static TimeSpan OffsetAt(DateTimeOffset utc)
    {
        var year = utc.UtcDateTime.Year;
        // DST starts the second Sunday of March at 02:00 EST (07:00 UTC), ends the first Sunday of November at 02:00 EDT (06:00 UTC).
        var start = new DateTime(NthWeekday(year, 3, DayOfWeek.Sunday, 2).ToDateTime(new TimeOnly(7, 0)).Ticks, DateTimeKind.Utc);
        var end = new DateTime(NthWeekday(year, 11, DayOfWeek.Sunday, 1).ToDateTime(new TimeOnly(6, 0)).Ticks, DateTimeKind.Utc);
        var t = utc.UtcDateTime;
        return t >= start && t < end ? TimeSpan.FromHours(-4) : TimeSpan.FromHours(-5);
    }

    /// <summary>Converts an instant to Eastern wall-clock time.</summary>
    public static DateTimeOffset ToEastern(DateTimeOffset instant) => instant.ToOffset(OffsetAt(instant));

    /// <summary>The instant of an Eastern wall-clock time on a date (times near the DST switch resolve to standard time).</summary>
    public static DateTimeOffset At(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        var guess = new DateTimeOffset(local, TimeSpan.FromHours(-5));
        var offset = OffsetAt(guess);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The Eastern calendar date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(ToEastern(instant).DateTime);

    /// <summary>The <paramref name="n"/>-th given weekday of a month (n ≥ 1).</summary>
    public static DateOnly NthWeekday(int year, int month, DayOfWeek day, int n)
    {
        var first = new DateOnly(year, month, 1);
        var shift = ((int)day - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(shift + (7 * (n - 1)));
    }

    /// <summary>The last given weekday of a month.</summary>
    public static DateOnly LastWeekday(int year, int month, DayOfWeek day)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        var shift = ((int)last.DayOfWeek - (int)day + 7) % 7;
        return last.AddDays(-shift);
    }
}
