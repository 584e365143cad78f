using Trading.Hosting;
using Trading.Hosting.Scheduling;
using Trading.Markets.Simulation;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Hosting;

public sealed class SchedulingTests
{
    private static readonly TradingCalendar Calendar = new(new ScheduleOptions());

    [Fact]
    public void Slot_ids_are_the_utc_minute()
    {
        Assert.Equal("entry-2026-11-23T15:00Z", RunInstanceIds.ForSlot(RunKinds.Entry, new DateTimeOffset(2026, 11, 23, 10, 0, 30, TimeSpan.FromHours(-5))));
        Assert.True(RunInstanceIds.IsValid("entry-2026-11-23T15:00Z"));
        Assert.False(RunInstanceIds.IsValid("../x"));
        Assert.False(RunInstanceIds.IsValid(new string('a', 101)));
    }

    [Fact]
    public void The_default_entry_schedule_keeps_the_firing_at_ten_new_york_in_winter_and_in_summer()
    {
        var winter = Calendar.NextSlots(RunKinds.Entry, new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero), 2);
        var summer = Calendar.NextSlots(RunKinds.Entry, new DateTimeOffset(2026, 7, 5, 0, 0, 0, TimeSpan.Zero), 2);

        Assert.Equal(["entry-2026-11-23T15:00Z", "entry-2026-11-24T15:00Z"], winter.Select(s => s.InstanceId));
        Assert.Equal(["entry-2026-07-06T14:00Z", "entry-2026-07-07T14:00Z"], summer.Select(s => s.InstanceId));
    }

    [Fact]
    public void A_late_firing_maps_to_its_own_slot()
    {
        var slot = Calendar.SlotAtOrBefore(RunKinds.Manage, new DateTimeOffset(2026, 11, 23, 15, 31, 40, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 30, 0, TimeSpan.Zero), slot);
    }

    [Fact]
    public void Bad_schedules_and_windows_are_named()
    {
        var errors = new ScheduleOptions { TradingSchedule = "0 14 * * 1-5", ManageSchedule = "nonsense", TimeZone = "Mars/Olympus", EntryWindowStart = "10:30", EntryWindowEnd = "09:00" }
            .Validate().ToArray();

        Assert.Contains(errors, e => e.StartsWith("TRADING_SCHEDULE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MANAGE_SCHEDULE", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Schedule:TimeZone", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Schedule:EntryWindowEnd", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_entry_gate_checks_window_calendar_and_clock()
    {
        var time = new ManualTime(PipelineHarness.MondayTenAm);
        var market = new SimulatedMarket(new SimulationSettings(), time);

        Assert.True((await Calendar.CheckEntryAsync(market, time.GetUtcNow(), CancellationToken.None)).Allowed);
        var summerFiring = PipelineHarness.MondayTenAm.AddHours(-1); // 14:00 UTC in winter = 09:00 New York
        Assert.Contains("outside the schedule's entry window", (await Calendar.CheckEntryAsync(market, summerFiring, CancellationToken.None)).Reason, StringComparison.Ordinal);
        var thanksgiving = new DateTimeOffset(2026, 11, 26, 15, 0, 0, TimeSpan.Zero);
        time.Set(thanksgiving);
        Assert.Contains("not a trading day", (await Calendar.CheckEntryAsync(market, thanksgiving, CancellationToken.None)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_entry_timer_starts_the_slot_once_and_skips_outside_the_window()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var scheduled = (ScheduledRuns)harness.Services.GetService(typeof(ScheduledRuns))!;
        var launcher = new RecordingLauncher();

        var first = await scheduled.StartEntryAsync(launcher, PipelineHarness.MondayTenAm.AddSeconds(3), CancellationToken.None);
        var skipped = await scheduled.StartEntryAsync(launcher, PipelineHarness.MondayTenAm.AddHours(-1), CancellationToken.None);

        Assert.True(first.Started);
        Assert.Equal("entry-2026-11-23T15:00Z", first.InstanceId);
        Assert.False(skipped.Started);
        Assert.Equal(["entry-2026-11-23T15:00Z"], launcher.Started);
    }

    private sealed class RecordingLauncher : IRunLauncher
    {
        public List<string> Started { get; } = [];

        public Task<RunStartResult> StartAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
        {
            Started.Add(instanceId);
            return Task.FromResult(new RunStartResult(RunStartOutcome.Started, instanceId, "ok"));
        }

        public Task<RunStatusView?> GetStatusAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult<RunStatusView?>(null);

        public Task<IReadOnlyList<string>> ActiveInstancesAsync(string kind, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }
}
