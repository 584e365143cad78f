using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trading.Core.Markets;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Scheduling;

namespace Trading.Cli.Serve;

/// <summary>
/// The Functions app's two timers, hosted locally: at each slot of <c>TRADING_SCHEDULE</c> (after the entry gate: window,
/// session, open market) and of <c>MANAGE_SCHEDULE</c>, start the run whose id is derived from the slot. The launcher
/// starts an id only when it is absent or finished, so a slot never gets two runs.
/// </summary>
public sealed partial class ScheduleRunner : BackgroundService
{
    private readonly TradingCalendar _calendar;
    private readonly IRunLauncher _launcher;
    private readonly IMarketData _market;
    private readonly TimeProvider _time;
    private readonly ILogger<ScheduleRunner> _logger;

    public ScheduleRunner(TradingCalendar calendar, IRunLauncher launcher, IMarketData market, TimeProvider time, ILogger<ScheduleRunner> logger)
    {
        _calendar = calendar;
        _launcher = launcher;
        _market = market;
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
            var wait = slot.SlotUtc - _time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, stoppingToken);
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

    private async Task StartSlotAsync(string kind, ScheduledSlot slot, CancellationToken cancellationToken)
    {
        if (kind == RunKinds.Entry)
        {
            var gate = await _calendar.CheckEntryAsync(_market, _time.GetUtcNow(), cancellationToken);
            if (!gate.Allowed)
            {
                LogGateClosed(slot.InstanceId, gate.Reason);
                return;
            }
        }

        var result = await _launcher.StartAsync(
            kind, slot.InstanceId, new RunRequest { RunId = slot.InstanceId, Trigger = RunTriggers.Timer }, cancellationToken);
        LogStarted(kind, slot.InstanceId, result.Outcome, result.Detail);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Kind}: next slot {SlotUtc:u} ({InstanceId}).")]
    private partial void LogNextSlot(string kind, DateTimeOffset slotUtc, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Kind}: no upcoming slot; this schedule is idle.")]
    private partial void LogNoSlot(string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Kind}: starting {InstanceId} failed.")]
    private partial void LogStartFailed(Exception exception, string kind, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Entry slot {InstanceId} skipped: {Reason}.")]
    private partial void LogGateClosed(string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schedule {Kind}: {InstanceId} {Outcome} ({Detail}).")]
    private partial void LogStarted(string kind, string instanceId, RunStartOutcome outcome, string detail);
}
