using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Hosting;
using Trading.Hosting.Scheduling;

namespace Trading.Cli.Serve;

/// <summary>
/// The Functions app's two timers, hosted locally: at each slot of <c>TRADING_SCHEDULE</c> and of <c>MANAGE_SCHEDULE</c> it
/// hands the firing to <see cref="ScheduledRuns"/>, the same code the app's timer functions call (entry gate: window,
/// session, open market, halt switch; then the slot's singleton run). The launcher starts an id only when it is absent or
/// finished, so a slot never gets two runs.
/// </summary>
public sealed partial class ScheduleRunner : BackgroundService
{
    private static readonly TimeSpan MaxTimerStep = TimeSpan.FromDays(1);

    private readonly TradingCalendar _calendar;
    private readonly ScheduledRuns _scheduled;
    private readonly IRunLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleRunner> _logger;

    public ScheduleRunner(TradingCalendar calendar, ScheduledRuns scheduled, IRunLauncher launcher, TimeProvider time, ILogger<ScheduleRunner> logger)
    {
        _calendar = calendar;
        _scheduled = scheduled;
        _launcher = launcher;
        _time = time;
        _logger = logger;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(RunScheduleAsync(RunKinds.Entry, stoppingToken), RunScheduleAsync(RunKinds.Manage, stoppingToken));

    private async Task RunScheduleAsync(string kind, CancellationToken stoppingToken)
    {
        var after = _time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var slots = _calendar.NextSlots(kind, after, 1);
            if (slots.Count == 0)
            {
                LogNoSlot(kind);
                return;
            }

            var slot = slots[0];
            LogNextSlot(kind, slot.SlotUtc, slot.InstanceId);
            try
            {
                // In steps of at most a day: a timer cannot wait more than about 49 days, and a slot can be further away.
                for (var wait = slot.SlotUtc - _time.GetUtcNow(); wait > TimeSpan.Zero; wait = slot.SlotUtc - _time.GetUtcNow())
                {
                    await Task.Delay(wait < MaxTimerStep ? wait : MaxTimerStep, _time, stoppingToken);
                }

                // Never ask for the same slot twice, even if the timer fired a little early.
                after = slot.SlotUtc;
                await StartSlotAsync(kind, slot, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One failed start (storage briefly down) must not stop the schedule.
                LogStartFailed(e, kind, slot.InstanceId);
            }
        }
    }

    // The slot's own time is the firing time: it maps back to this slot whether the timer fired a little early or the
    // start ran late, where "now" could already fall in the next slot.
    private Task<ScheduledStart> StartSlotAsync(string kind, ScheduledSlot slot, CancellationToken cancellationToken) =>
        kind == RunKinds.Entry
            ? _scheduled.StartEntryAsync(_launcher, slot.SlotUtc, cancellationToken)
            : _scheduled.StartManageAsync(_launcher, slot.SlotUtc, cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Kind}: next slot {SlotUtc:u} ({InstanceId}).")]
    private partial void LogNextSlot(string kind, DateTimeOffset slotUtc, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Kind}: no upcoming slot; this schedule is idle.")]
    private partial void LogNoSlot(string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Kind}: starting {InstanceId} failed.")]
    private partial void LogStartFailed(Exception exception, string kind, string instanceId);
}
