using System.Globalization;

namespace Trading.Gateway.Routing;

/// <summary>Daily or monthly spend window.</summary>
public enum BudgetPeriod
{
    /// <summary>A calendar day in the budget time zone.</summary>
    Day,

    /// <summary>A calendar month in the budget time zone.</summary>
    Month,
}

/// <summary>
/// A calendar day or month in a configured time zone, as a half-open UTC interval [StartUtc, EndUtc).
/// Computed from local dates, so a DST day is 23 or 25 hours long and the window still ends at local midnight.
/// </summary>
/// <param name="Period">Day or month.</param>
/// <param name="Key">Stable key: "2026-11-21" for a day, "2026-11" for a month.</param>
/// <param name="StartUtc">Local midnight that opens the window.</param>
/// <param name="EndUtc">Local midnight that closes it.</param>
public readonly record struct BudgetWindow(BudgetPeriod Period, string Key, DateTimeOffset StartUtc, DateTimeOffset EndUtc)
{
    /// <summary>True when <paramref name="instant"/> lies in the window.</summary>
    public bool Contains(DateTimeOffset instant) => instant >= StartUtc && instant < EndUtc;

    /// <summary>The length of the window (23, 24 or 25 hours for a day around DST).</summary>
    public TimeSpan Length => EndUtc - StartUtc;

    /// <summary>The day window containing <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static BudgetWindow DayOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        return new BudgetWindow(
            BudgetPeriod.Day,
            local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            StartOfLocalDay(local, zone),
            StartOfLocalDay(local.AddDays(1), zone));
    }

    /// <summary>The month window containing <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static BudgetWindow MonthOf(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
        var first = new DateOnly(local.Year, local.Month, 1);
        return new BudgetWindow(
            BudgetPeriod.Month,
            first.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            StartOfLocalDay(first, zone),
            StartOfLocalDay(first.AddMonths(1), zone));
    }

    /// <summary>
    /// The UTC instant at which <paramref name="date"/> begins in <paramref name="zone"/>. Where midnight itself is skipped by a
    /// DST jump (some zones move clocks at 00:00), the day begins at the first local minute that exists.
    /// </summary>
    public static DateTimeOffset StartOfLocalDay(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 24 * 60)
            local = local.AddMinutes(1);

        // An ambiguous midnight (clocks fall back at 01:00 → 00:00) starts at its first occurrence: the larger offset.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
