using Trading.Gateway.Routing;

namespace Trading.Gateway.Tests.Routing;

public sealed class BudgetWindowTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void Day_window_runs_from_local_midnight_to_local_midnight()
    {
        // 2026-11-21 03:59 UTC is 22:59 on the 20th in New York (EST, UTC-5).
        var w = BudgetWindow.DayOf(new DateTimeOffset(2026, 11, 21, 3, 59, 0, TimeSpan.Zero), NewYork);
        Assert.Equal("2026-11-20", w.Key);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 5, 0, 0, TimeSpan.Zero), w.StartUtc);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.Zero), w.EndUtc);

        var next = BudgetWindow.DayOf(new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.Zero), NewYork);
        Assert.Equal("2026-11-21", next.Key);
    }

    [Fact]
    public void Spring_forward_day_is_23_hours_and_fall_back_day_is_25()
    {
        var spring = BudgetWindow.DayOf(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero), NewYork);
        Assert.Equal(TimeSpan.FromHours(23), spring.Length);
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero), spring.StartUtc);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 4, 0, 0, TimeSpan.Zero), spring.EndUtc);

        var fall = BudgetWindow.DayOf(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero), NewYork);
        Assert.Equal(TimeSpan.FromHours(25), fall.Length);
    }

    [Fact]
    public void Month_window_opens_at_local_midnight_on_the_first()
    {
        // 2026-04-01 03:30 UTC is still 31 March in New York (EDT, UTC-4).
        var march = BudgetWindow.MonthOf(new DateTimeOffset(2026, 4, 1, 3, 30, 0, TimeSpan.Zero), NewYork);
        Assert.Equal("2026-03", march.Key);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero), march.StartUtc); // EST on 1 March
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), march.EndUtc);   // EDT on 1 April
        Assert.Equal("2026-04", BudgetWindow.MonthOf(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero), NewYork).Key);
    }

    [Fact]
    public void Consecutive_day_windows_tile_time_without_gaps_over_a_year()
    {
        var start = BudgetWindow.DayOf(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), NewYork);
        var w = start;
        for (var i = 0; i < 400; i++)
        {
            var next = BudgetWindow.DayOf(w.EndUtc, NewYork);
            Assert.Equal(w.EndUtc, next.StartUtc);
            Assert.True(next.Length == TimeSpan.FromHours(24) || next.Length == TimeSpan.FromHours(23) || next.Length == TimeSpan.FromHours(25));
            Assert.True(w.Contains(w.EndUtc.AddTicks(-1)));
            Assert.False(w.Contains(w.EndUtc));
            w = next;
        }
    }

    [Fact]
    public void A_zone_whose_clocks_skip_midnight_starts_the_day_at_the_first_existing_minute()
    {
        // Santiago springs forward at 00:00 → 01:00 (first Sunday of September in recent rules).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var day = new DateOnly(2026, 9, 6);
        var start = BudgetWindow.StartOfLocalDay(day, zone);
        var local = TimeZoneInfo.ConvertTime(start, zone);
        Assert.Equal(day, DateOnly.FromDateTime(local.DateTime));
        Assert.False(zone.IsInvalidTime(local.DateTime));
    }
}
