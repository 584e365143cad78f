using Microsoft.Extensions.Logging.Abstractions;
using Trading.Cli.Serve;
using Trading.Cli.Tests.Support;
using Trading.Hosting;
using Trading.Hosting.Scheduling;
using Trading.Markets.Simulation;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Cli.Tests.Serve;

public sealed class ScheduleRunnerTests
{
    /// <summary>Records start requests; answers like the runner's singleton rule (an id starts once).</summary>
    private sealed class RecordingLauncher : IRunLauncher
    {
        private readonly HashSet<string> _started = new(StringComparer.Ordinal);

        public List<(string Kind, string InstanceId, string Trigger)> Starts { get; } = [];

        public Task<RunStartResult> StartAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
        {
            lock (Starts)
            {
                Starts.Add((kind, instanceId, request.Trigger));
                var outcome = _started.Add(instanceId) ? RunStartOutcome.Started : RunStartOutcome.AlreadyRunning;
                return Task.FromResult(new RunStartResult(outcome, instanceId, outcome.ToString()));
            }
        }

        public List<(string Kind, string InstanceId, string Trigger)> Snapshot()
        {
            lock (Starts)
            {
                return [.. Starts];
            }
        }

        public Task<RunStatusView?> GetStatusAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult<RunStatusView?>(null);

        public Task<IReadOnlyList<string>> ActiveInstancesAsync(string kind, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }

    [Fact]
    public async Task Each_slot_of_both_schedules_starts_its_own_run_once_and_entry_slots_pass_the_gate()
    {
        // Monday 2025-01-06 07:59 New York; the test steps the clock from one pending wait to the next until Wednesday.
        var clock = new SteppedClock(new DateTimeOffset(2025, 1, 6, 13, 0, 0, TimeSpan.Zero).AddMinutes(-1));
        var options = new ScheduleOptions();
        var calendar = new TradingCalendar(options);
        var launcher = new RecordingLauncher();
        using var runner = Runner(calendar, launcher, clock, halted: false);

        await runner.StartAsync(CancellationToken.None);
        while (clock.GetUtcNow() < new DateTimeOffset(2025, 1, 8, 0, 0, 0, TimeSpan.Zero))
        {
            Assert.True(await clock.StepToNextTimerAsync(TimeSpan.FromSeconds(10)), "the schedules stopped waiting for their next slot");
        }

        // Let the last started slot reach the launcher before stopping.
        await Task.Delay(200);

        await runner.StopAsync(CancellationToken.None);
        var starts = launcher.Snapshot();

        var entries = starts.Where(s => s.Kind == RunKinds.Entry).Select(s => s.InstanceId).ToList();
        var manages = starts.Where(s => s.Kind == RunKinds.Manage).Select(s => s.InstanceId).ToList();

        // Winter: 10:00 New York is 15:00 UTC; the 14:00 UTC firing is outside the entry window and never reaches the launcher.
        Assert.Contains("entry-2025-01-06T15:00Z", entries);
        Assert.Contains("entry-2025-01-07T15:00Z", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("entry-2025-01", StringComparison.Ordinal) && e.EndsWith("T14:00Z", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("entry-2025-01-04", StringComparison.Ordinal)); // a Saturday
        Assert.Contains("manage-2025-01-06T13:00Z", manages);
        Assert.Contains("manage-2025-01-06T13:30Z", manages);
        Assert.Equal(manages.Count, manages.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(entries.Count, entries.Distinct(StringComparer.Ordinal).Count());
        Assert.All(starts, s => Assert.Equal(RunTriggers.Timer, s.Trigger));
        Assert.All(calendar.NextSlots(RunKinds.Manage, new DateTimeOffset(2025, 1, 6, 12, 59, 0, TimeSpan.Zero), 18).Where(s => s.SlotUtc < new DateTimeOffset(2025, 1, 7, 0, 0, 0, TimeSpan.Zero)),
            slot => Assert.Contains(slot.InstanceId, manages));
    }

    [Fact]
    public async Task A_halted_system_skips_its_entry_slot_but_still_manages_positions()
    {
        // Monday 2025-01-06 09:59 New York: the next entry slot is 10:00, the management slots every 30 minutes.
        var clock = new SteppedClock(new DateTimeOffset(2025, 1, 6, 14, 59, 0, TimeSpan.Zero));
        var calendar = new TradingCalendar(new ScheduleOptions());
        var launcher = new RecordingLauncher();
        using var runner = Runner(calendar, launcher, clock, halted: true);

        await runner.StartAsync(CancellationToken.None);
        while (clock.GetUtcNow() < new DateTimeOffset(2025, 1, 6, 15, 31, 0, TimeSpan.Zero))
        {
            Assert.True(await clock.StepToNextTimerAsync(TimeSpan.FromSeconds(10)), "the schedules stopped waiting for their next slot");
        }

        await Task.Delay(200);
        await runner.StopAsync(CancellationToken.None);

        var starts = launcher.Snapshot();

        Assert.DoesNotContain(starts, s => s.Kind == RunKinds.Entry);
        Assert.Contains(starts, s => s.InstanceId == "manage-2025-01-06T15:00Z");
    }

    [Fact]
    public async Task A_slot_months_away_is_waited_for_in_steps_and_started_once()
    {
        // 29 February only: from 1 March 2025 the next slot is almost a year away, beyond what one timer can wait.
        var clock = new SteppedClock(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var calendar = new TradingCalendar(new ScheduleOptions { TradingSchedule = "0 0 15 29 2 *", ManageSchedule = "0 0 14 29 2 *" });
        var launcher = new RecordingLauncher();
        using var runner = Runner(calendar, launcher, clock, halted: false);

        await runner.StartAsync(CancellationToken.None);
        var steps = 0;
        while (clock.GetUtcNow() < new DateTimeOffset(2028, 2, 29, 14, 0, 0, TimeSpan.Zero) && steps++ < 3000)
        {
            Assert.True(await clock.StepToNextTimerAsync(TimeSpan.FromSeconds(10)), "the schedule stopped waiting for its next slot");
        }

        await Task.Delay(200);
        await runner.StopAsync(CancellationToken.None);

        var starts = launcher.Snapshot();

        Assert.Contains(starts, s => s.InstanceId == "manage-2028-02-29T14:00Z");
        Assert.Single(starts, s => s.Kind == RunKinds.Manage);
    }

    // The scheduler as serve composes it: the same ScheduledRuns as the Functions app's timers, with its halt switch.
    private static ScheduleRunner Runner(TradingCalendar calendar, IRunLauncher launcher, SteppedClock clock, bool halted)
    {
        var market = new SimulatedMarket(new SimulationSettings(), clock);
        var halt = new HaltSwitch(PipelineTables.InMemory(new PipelineTablesOptions(), clock), clock, haltedBySetting: halted);
        var scheduled = new ScheduledRuns(calendar, market, halt);
        return new ScheduleRunner(calendar, scheduled, launcher, clock, NullLogger<ScheduleRunner>.Instance);
    }
}
