namespace Trading.Core.Options;

/// <summary>
/// Calendar arithmetic for option expirations in exchange time (America/New_York).
/// An expiration's last moment is taken as 16:00 New York time on its date, which is when equity options stop trading.
/// </summary>
public static class ExpirationTime
{
    private static readonly TimeOnly MarketClose = new(16, 0);

    /// <summary>The exchange's time zone.</summary>
    public static TimeZoneInfo NewYork { get; } = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>The instant an expiration's options stop trading (16:00 New York time on that date).</summary>
    public static DateTimeOffset CloseOf(DateOnly expiration)
    {
        var local = expiration.ToDateTime(MarketClose, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, NewYork.GetUtcOffset(local));
    }

    /// <summary>The New York calendar date of an instant.</summary>
    public static DateOnly NewYorkDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, NewYork).DateTime);

    /// <summary>Calendar days from the New York date of <paramref name="asOf"/> to the expiration (0 on expiration day, negative after).</summary>
    public static int DaysUntil(DateOnly expiration, DateTimeOffset asOf) => expiration.DayNumber - NewYorkDate(asOf).DayNumber;

    /// <summary>Years (365-day) from <paramref name="asOf"/> to the expiration's close; never negative.</summary>
    public static double YearsUntil(DateOnly expiration, DateTimeOffset asOf) =>
        Math.Max((CloseOf(expiration) - asOf).TotalDays / 365.0, 0.0);
}
