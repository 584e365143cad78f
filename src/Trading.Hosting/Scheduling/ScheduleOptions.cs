using System.Globalization;
using Microsoft.Extensions.Configuration;
using NCrontab;

namespace Trading.Hosting.Scheduling;

/// <summary>
/// The timers (six-field NCRONTAB, UTC: Flex Consumption ignores WEBSITE_TIME_ZONE) and the local entry window.
/// The schedules are the top-level app settings TRADING_SCHEDULE and MANAGE_SCHEDULE (the Functions timers read them as
/// %TRADING_SCHEDULE%); the window is section "Schedule".
/// </summary>
public sealed class ScheduleOptions
{
    public const string SectionName = "Schedule";
    public const string TradingScheduleSetting = "TRADING_SCHEDULE";
    public const string ManageScheduleSetting = "MANAGE_SCHEDULE";

    /// <summary>Fires at 14:00 and 15:00 UTC: 10:00 New York in summer and in winter; the window keeps one of them.</summary>
    public string TradingSchedule { get; set; } = "0 0 14,15 * * 1-5";

    /// <summary>Every 30 minutes from 13:00 to 21:30 UTC on weekdays (covers the session at both offsets).</summary>
    public string ManageSchedule { get; set; } = "0 */30 13-21 * * 1-5";

    /// <summary>IANA zone of the entry window.</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Earliest local entry time, HH:mm.</summary>
    public string EntryWindowStart { get; set; } = "09:45";

    /// <summary>Latest local entry time, HH:mm.</summary>
    public string EntryWindowEnd { get; set; } = "10:30";

    /// <summary>Binds from configuration (the two top-level schedule names and section "Schedule").</summary>
    public static ScheduleOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new ScheduleOptions();
        configuration.GetSection(SectionName).Bind(options);
        options.TradingSchedule = configuration[TradingScheduleSetting] is { Length: > 0 } trading ? trading : options.TradingSchedule;
        options.ManageSchedule = configuration[ManageScheduleSetting] is { Length: > 0 } manage ? manage : options.ManageSchedule;
        return options;
    }

    public IEnumerable<string> Validate()
    {
        foreach (var (name, expression) in new[] { (TradingScheduleSetting, TradingSchedule), (ManageScheduleSetting, ManageSchedule) })
        {
            if (CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
            {
                yield return $"{name} must be a six-field NCRONTAB expression (second minute hour day month weekday); got '{expression}'.";
            }
        }

        if (!TryFindZone(TimeZone, out _))
        {
            yield return $"{SectionName}:TimeZone '{TimeZone}' is not a known time zone.";
        }

        var startOk = TimeOnly.TryParseExact(EntryWindowStart, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start);
        var endOk = TimeOnly.TryParseExact(EntryWindowEnd, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end);
        if (!startOk)
        {
            yield return $"{SectionName}:EntryWindowStart must be HH:mm; got '{EntryWindowStart}'.";
        }

        if (!endOk)
        {
            yield return $"{SectionName}:EntryWindowEnd must be HH:mm; got '{EntryWindowEnd}'.";
        }

        if (startOk && endOk && end <= start)
        {
            yield return $"{SectionName}:EntryWindowEnd ({EntryWindowEnd}) must be after EntryWindowStart ({EntryWindowStart}).";
        }
    }

    internal static bool TryFindZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
