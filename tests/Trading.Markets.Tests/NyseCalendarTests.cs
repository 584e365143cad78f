using Trading.Markets.Calendar;

namespace Trading.Markets.Tests;

public sealed class NyseCalendarTests
{
    public static TheoryData<string> Holidays => new()
    {
        "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25",
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-11-26", "2026-12-25",
        "2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24",
    };

    [Theory]
    [MemberData(nameof(Holidays))]
    public void Published_holidays_are_closed(string date)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(NyseCalendar.IsHoliday(day));
        Assert.False(NyseCalendar.IsTradingDay(day));
        Assert.Null(NyseCalendar.SessionOn(day));
    }

    [Theory]
    [InlineData("2025-07-03")]
    [InlineData("2025-11-28")]
    [InlineData("2025-12-24")]
    [InlineData("2026-11-27")]
    [InlineData("2026-12-24")]
    [InlineData("2027-11-26")]
    public void Published_early_closes_end_at_one_pm(string date)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(NyseCalendar.IsEarlyClose(day));
        Assert.Equal(new TimeOnly(13, 0), NyseCalendar.SessionOn(day)!.Close);
    }

    [Fact]
    public void Year_counts_match_the_exchange()
    {
        Assert.Equal(250, NyseCalendar.Sessions(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)).Count);
        Assert.Equal(251, NyseCalendar.Sessions(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)).Count);
        Assert.False(NyseCalendar.IsEarlyClose(new DateOnly(2026, 7, 2)));
        Assert.False(NyseCalendar.IsEarlyClose(new DateOnly(2027, 12, 23)));
    }

    [Fact]
    public void Hours_are_eastern_across_daylight_saving()
    {
        // Winter: 9:30 ET = 14:30 UTC; summer: 13:30 UTC. The early close on 2026-11-27 is 18:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 30, 0, TimeSpan.Zero), NyseCalendar.OpenAt(new DateOnly(2026, 1, 5)));
        Assert.Equal(new DateTimeOffset(2026, 7, 6, 13, 30, 0, TimeSpan.Zero), NyseCalendar.OpenAt(new DateOnly(2026, 7, 6)));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 18, 0, 0, TimeSpan.Zero), NyseCalendar.CloseAt(new DateOnly(2026, 11, 27)));
        Assert.True(NyseCalendar.IsOpenAt(new DateTimeOffset(2026, 11, 27, 17, 59, 0, TimeSpan.Zero)));
        Assert.False(NyseCalendar.IsOpenAt(new DateTimeOffset(2026, 11, 27, 18, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 8), EasternTime.NthWeekday(2026, 3, DayOfWeek.Sunday, 2));
    }

    [Fact]
    public void The_clock_on_christmas_points_to_the_next_session()
    {
        var christmas = new DateTimeOffset(2025, 12, 25, 15, 0, 0, TimeSpan.Zero);

        var clock = NyseCalendar.ClockAt(christmas);

        Assert.False(clock.IsOpen);
        Assert.Equal(new DateTimeOffset(2025, 12, 26, 9, 30, 0, TimeSpan.FromHours(-5)), clock.NextOpen);
        Assert.Equal(new DateTimeOffset(2025, 12, 26, 16, 0, 0, TimeSpan.FromHours(-5)), clock.NextClose);

        var saturday = NyseCalendar.ClockAt(new DateTimeOffset(2026, 3, 7, 15, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 30, 0, TimeSpan.FromHours(-4)), saturday.NextOpen);
    }
}
