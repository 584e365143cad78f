using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Trading.Hosting.Scheduling;

namespace TradingFunctions;

/// <summary>
/// The two timers (six-field NCRONTAB in UTC from app settings). The entry timer fires at both DST offsets of the entry time;
/// the shared <see cref="ScheduledRuns"/> keeps the one inside the New York window on an open market and starts the slot's
/// singleton run.
/// </summary>
public sealed class TimerFunctions
{
    private readonly ScheduledRuns _scheduled;
    private readonly TimeProvider _time;

    public TimerFunctions(ScheduledRuns scheduled, TimeProvider time)
    {
        _scheduled = scheduled;
        _time = time;
    }

    [Function("EntryTimer")]
    public async Task EntryTimerAsync(
        [TimerTrigger("%TRADING_SCHEDULE%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        // The outcome (started, already running, or skipped with the reason) is logged by ScheduledRuns.
        await _scheduled.StartEntryAsync(new DurableRunLauncher(client), _time.GetUtcNow(), cancellationToken);
    }

    [Function("ManageTimer")]
    public async Task ManageTimerAsync(
        [TimerTrigger("%MANAGE_SCHEDULE%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        await _scheduled.StartManageAsync(new DurableRunLauncher(client), _time.GetUtcNow(), cancellationToken);
    }
}
