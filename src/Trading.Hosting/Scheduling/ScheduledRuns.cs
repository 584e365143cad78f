using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Markets;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Hosting.Scheduling;

/// <summary>What a timer did: started a run, found it running, or skipped (with why).</summary>
public sealed record ScheduledStart(bool Started, string? InstanceId, string Detail);

/// <summary>
/// The timers' logic, shared by the Functions app's timer triggers and the local host's scheduler: map the firing to its slot,
/// check the entry window, calendar, market clock and halt switch (entries only), then start the slot's singleton run.
/// </summary>
public sealed class ScheduledRuns
{
    private readonly TradingCalendar _calendar;
    private readonly IMarketData _market;
    private readonly HaltSwitch _halt;
    private readonly ILogger _logger;

    public ScheduledRuns(TradingCalendar calendar, IMarketData market, HaltSwitch halt, ILogger<ScheduledRuns>? logger = null)
    {
        _calendar = calendar ?? throw new ArgumentNullException(nameof(calendar));
        _market = market ?? throw new ArgumentNullException(nameof(market));
        _halt = halt ?? throw new ArgumentNullException(nameof(halt));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The entry timer fired at <paramref name="firedUtc"/>.</summary>
    public async Task<ScheduledStart> StartEntryAsync(IRunLauncher launcher, DateTimeOffset firedUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        var gate = await _calendar.CheckEntryAsync(_market, firedUtc, cancellationToken);
        if (!gate.Allowed)
        {
            _logger.LogInformation("Entry timer at {Fired:u}: no run ({Reason}).", firedUtc, gate.Reason);
            return new ScheduledStart(false, null, gate.Reason);
        }

        var halt = await _halt.GetAsync(cancellationToken);
        if (halt.Halted)
        {
            _logger.LogWarning("Entry timer at {Fired:u}: trading is halted ({Reason}).", firedUtc, halt.Reason);
            return new ScheduledStart(false, null, $"halted: {halt.Reason}");
        }

        return await StartAsync(launcher, RunKinds.Entry, firedUtc, cancellationToken);
    }

    /// <summary>The management timer fired at <paramref name="firedUtc"/> (runs even while halted: exits reduce risk).</summary>
    public Task<ScheduledStart> StartManageAsync(IRunLauncher launcher, DateTimeOffset firedUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launcher);
        return StartAsync(launcher, RunKinds.Manage, firedUtc, cancellationToken);
    }

    private async Task<ScheduledStart> StartAsync(IRunLauncher launcher, string kind, DateTimeOffset firedUtc, CancellationToken cancellationToken)
    {
        var slot = _calendar.SlotAtOrBefore(kind, firedUtc) ?? TimeSlotFallback(firedUtc);
        var instanceId = RunInstanceIds.ForSlot(kind, slot);
        var start = await launcher.StartAsync(kind, instanceId, new RunRequest { RunId = instanceId, Trigger = RunTriggers.Timer }, cancellationToken);
        _logger.LogInformation("{Kind} timer at {Fired:u}: {Outcome} ({Detail}).", kind, firedUtc, start.Outcome, start.Detail);
        return new ScheduledStart(start.Outcome == RunStartOutcome.Started, instanceId, start.Detail);
    }

    // A firing with no schedule occurrence in three days (a manual timer invocation): use its own minute.
    private static DateTimeOffset TimeSlotFallback(DateTimeOffset firedUtc)
    {
        var utc = firedUtc.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }
}
