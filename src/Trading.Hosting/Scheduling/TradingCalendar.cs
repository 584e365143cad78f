using System.Globalization;
using NCrontab;
using Trading.Core.Markets;

namespace Trading.Hosting.Scheduling;

/// <summary>A timer slot: when it fires and the run it starts.</summary>
public sealed record ScheduledSlot(string Kind, DateTimeOffset SlotUtc, string InstanceId);

/// <summary>The answer of the entry gate.</summary>
public sealed record EntryGateResult(bool Allowed, string Reason);

/// <summary>Schedule arithmetic and the entry gate, shared by the Functions timers and the local host.</summary>
public sealed class TradingCalendar
{
    private static readonly CrontabSchedule.ParseOptions SixFields = new() { IncludingSeconds = true };
    private readonly CrontabSchedule _entry;
    private readonly CrontabSchedule _manage;
    private readonly TimeZoneInfo _zone;
    private readonly TimeOnly _windowStart;
    private readonly TimeOnly _windowEnd;

    public TradingCalendar(ScheduleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _entry = CrontabSchedule.Parse(options.TradingSchedule, SixFields);
        _manage = CrontabSchedule.Parse(options.ManageSchedule, SixFields);
        _ = ScheduleOptions.TryFindZone(options.TimeZone, out _zone);
        _windowStart = TimeOnly.ParseExact(options.EntryWindowStart, "HH:mm", CultureInfo.InvariantCulture);
        _windowEnd = TimeOnly.ParseExact(options.EntryWindowEnd, "HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>The next <paramref name="count"/> slots of a kind after <paramref name="afterUtc"/> (entry slots outside the window are skipped).</summary>
    public IReadOnlyList<ScheduledSlot> NextSlots(string kind, DateTimeOffset afterUtc, int count)
    {
        var schedule = kind == "entry" ? _entry : _manage;
        var slots = new List<ScheduledSlot>();
        var cursor = afterUtc.UtcDateTime;
        for (var guard = 0; slots.Count < count && guard < 10_000; guard++)
        {
            cursor = schedule.GetNextOccurrence(cursor);
            var slot = new DateTimeOffset(DateTime.SpecifyKind(cursor, DateTimeKind.Utc));
            if (kind != "entry" || InEntryWindow(slot))
            {
                slots.Add(new ScheduledSlot(kind, slot, RunInstanceIds.ForSlot(kind, slot)));
            }
        }

        return slots;
    }

    /// <summary>
    /// The slot a timer firing at <paramref name="firedUtc"/> belongs to: the latest occurrence of the kind's schedule at or
    /// before it (a late or past-due firing still maps to its own slot); null when none in the previous 3 days.
    /// </summary>
    public DateTimeOffset? SlotAtOrBefore(string kind, DateTimeOffset firedUtc)
    {
        var schedule = kind == "entry" ? _entry : _manage;
        var end = firedUtc.UtcDateTime.AddSeconds(1);
        var occurrences = schedule.GetNextOccurrences(end.AddDays(-3), end).ToArray();
        return occurrences.Length == 0 ? null : new DateTimeOffset(DateTime.SpecifyKind(occurrences[^1], DateTimeKind.Utc));
    }

    /// <summary>True when <paramref name="utc"/> is inside the local entry window.</summary>
    public bool InEntryWindow(DateTimeOffset utc)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(utc, _zone).DateTime);
        return local >= _windowStart && local <= _windowEnd;
    }

    /// <summary>
    /// The entry timer's gate: inside the local window, a trading session today (calendar) and the market open (clock).
    /// </summary>
    public async Task<EntryGateResult> CheckEntryAsync(IMarketData market, DateTimeOffset nowUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(market);
        var local = TimeZoneInfo.ConvertTime(nowUtc, _zone);
        if (!InEntryWindow(nowUtc))
        {
            return new EntryGateResult(false, string.Create(CultureInfo.InvariantCulture,
                $"{local:HH:mm} {_zone.Id} is outside the schedule's entry window {_windowStart:HH:mm}-{_windowEnd:HH:mm} (Schedule:EntryWindowStart/End)"));
        }

        var today = DateOnly.FromDateTime(local.DateTime);
        var sessions = await market.GetCalendarAsync(today, today, cancellationToken);
        if (!sessions.Any(s => s.Date == today))
        {
            return new EntryGateResult(false, $"{today:yyyy-MM-dd} is not a trading day");
        }

        var clock = await market.GetClockAsync(cancellationToken);
        return clock.IsOpen
            ? new EntryGateResult(true, "inside the entry window on an open market")
            : new EntryGateResult(false, string.Create(CultureInfo.InvariantCulture, $"the market is closed (next open {clock.NextOpen:u})"));
    }
}
