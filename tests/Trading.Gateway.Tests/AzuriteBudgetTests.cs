using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Gateway.Telemetry;
using Trading.Gateway.Tests.Support;
using Trading.TestKit.OpenAi;
using Trading.TestKit.Storage;

namespace Trading.Gateway.Tests;

/// <summary>The budget guarantees of issue §3 against Table Storage (Azurite, started by scripts/test.sh).</summary>
public sealed class AzuriteBudgetTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static BudgetOptions Options(decimal daily = 1m, decimal monthly = 25m) => new()
    {
        DailyLimitUsd = daily,
        MonthlyLimitUsd = monthly,
        TableName = TestStorage.UniqueTableName("budget"),
        ReservationTimeoutMinutes = 10,
        OnExhausted = BudgetExhaustedAction.Refuse,
    };

    private static TableBudgetLedger Ledger(BudgetOptions options, TimeProvider time) =>
        new(new TableServiceClient(TestStorage.ConnectionString), options, time, NullLogger<TableBudgetLedger>.Instance);

    [Fact]
    public async Task A_fifty_call_burst_against_a_nearly_spent_budget_admits_only_what_fits()
    {
        var routing = GatewayHarness.FastRouting();
        routing.DowngradeChain = "kimi-k2"; // one model, so every admission reserves the same estimate
        var call = GatewayHarness.Call("options_analysis");
        var estimate = new ModelSelector(ModelRegistry.Default, new RoutingPolicy()).Estimate(
            ModelRegistry.KimiK2, call.SystemPrompt.Length + call.UserPrompt.Length + call.JsonSchema.Length, call.MaxOutputTokens);
        const int fits = 7;
        var options = Options(daily: 0.50m);
        var preSpent = options.DailyLimitUsd - (fits * estimate) - (estimate / 2); // nearly spent: room for 7.5 reservations
        var seed = Ledger(options, TimeProvider.System);
        await seed.SettleAsync((await seed.TryReserveAsync(preSpent, false, false, CancellationToken.None))!, preSpent, CancellationToken.None);

        routing.AttemptTimeoutSeconds = 120; // the admitted calls wait at the server until every other call was decided
        routing.CallDeadlineSeconds = 240;
        await using var h = await GatewayHarness.StartAsync(routing, options, ledger: (b, _) => Ledger(b, TimeProvider.System));
        // Admitted calls are held at the server until every call has been admitted or refused, so every admitted reservation
        // is live while the others try (a fixed delay was not enough on a loaded machine: an early call settled below its
        // estimate and made room for one more). Real usage is below the estimate.
        using var decided = new ManualResetEventSlim();
        h.Server.DefaultReply = _ =>
        {
            decided.Wait(TimeSpan.FromMinutes(2));
            return ScriptedReply.Json(Verdict.ApproveJson) with { Usage = new LoopbackUsage(60, 40) };
        };

        var calls = Enumerable.Range(0, 50).Select(i =>
            h.Gateway.CompleteJsonAsync<Verdict>(call with { RequestKey = $"burst-{i}" }, CancellationToken.None)).ToList();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (calls.Count(c => c.IsCompleted) + h.Server.Requests.Count < calls.Count && waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20);
        }

        decided.Set();
        var results = await Task.WhenAll(calls);

        Assert.Equal(fits, results.Count(r => r.Succeeded));
        Assert.Equal(50 - fits, results.Count(r => !r.Succeeded && r.FailureReason!.Contains("budget", StringComparison.Ordinal)));
        Assert.Equal(fits, h.Server.Requests.Count);
        var status = await Ledger(options, TimeProvider.System).GetStatusAsync(CancellationToken.None);
        Assert.Equal(0m, status.DaySpend.ReservedUsd);
        Assert.Equal(preSpent + results.Sum(r => r.CostUsd), status.DaySpend.SettledUsd);
        Assert.True(status.DaySpend.SettledUsd <= options.DailyLimitUsd);
    }

    [Fact]
    public async Task Concurrent_reservations_never_exceed_the_cap()
    {
        var options = Options(daily: 1.00m);
        var ledgers = Enumerable.Range(0, 5).Select(_ => Ledger(options, TimeProvider.System)).ToList(); // five "instances"
        var holds = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            ledgers[i % ledgers.Count].TryReserveAsync(0.07m, false, false, CancellationToken.None)));

        Assert.Equal(14, holds.Count(x => x is not null)); // floor(1.00 / 0.07)
        var status = await ledgers[0].GetStatusAsync(CancellationToken.None);
        Assert.Equal(0.98m, status.DaySpend.ReservedUsd);
    }

    [Fact]
    public async Task A_crash_between_reserve_and_settle_is_released_after_the_timeout()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var options = Options(daily: 1.00m);
        var crashed = Ledger(options, time);
        Assert.NotNull(await crashed.TryReserveAsync(0.90m, false, false, CancellationToken.None));
        // The process dies here: no settle. A new instance starts.
        var restarted = Ledger(options, time);
        Assert.Null(await restarted.TryReserveAsync(0.20m, false, false, CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(options.ReservationTimeoutMinutes));

        Assert.Equal(1.00m, (await restarted.GetStatusAsync(CancellationToken.None)).HeadroomUsd);
        Assert.NotNull(await restarted.TryReserveAsync(0.95m, false, false, CancellationToken.None));
        var status = await Ledger(options, time).GetStatusAsync(CancellationToken.None);
        Assert.Equal(0.95m, status.DaySpend.ReservedUsd); // the dead reservation was swept from storage, not just ignored
    }

    [Fact]
    public async Task A_restart_loses_nothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero));
        var options = Options();
        var first = Ledger(options, time);
        var settled = await first.TryReserveAsync(0.30m, false, false, CancellationToken.None);
        await first.SettleAsync(settled!, 0.1234567891m, CancellationToken.None);
        await first.TryReserveAsync(0.20m, false, false, CancellationToken.None);

        var second = Ledger(options, time); // new client, new instance: only storage is shared
        var status = await second.GetStatusAsync(CancellationToken.None);

        Assert.Equal(0.1234567891m, status.DaySpend.SettledUsd);
        Assert.Equal(0.20m, status.DaySpend.ReservedUsd);
        Assert.Equal(0.1234567891m, status.MonthSpend.SettledUsd);
    }

    [Fact]
    public async Task Many_settlements_keep_the_stored_ledger_bounded()
    {
        var options = Options(daily: 1000m, monthly: 1000m);
        var ledger = Ledger(options, TimeProvider.System);
        const int calls = 400; // more than the remembered ids (256) plus one batch (32)
        for (var i = 0; i < calls; i++)
            await ledger.SettleAsync((await ledger.TryReserveAsync(0.01m, false, false, CancellationToken.None))!, 0.01m, CancellationToken.None);

        var month = BudgetWindow.MonthOf(TimeProvider.System.GetUtcNow(), NewYork).Key;
        var table = new TableServiceClient(TestStorage.ConnectionString).GetTableClient(options.TableName);
        BudgetLedgerEntity stored = await table.GetEntityAsync<BudgetLedgerEntity>(TableBudgetLedger.Partition, month);
        var ids = System.Text.Json.JsonSerializer.Deserialize<List<string>>(stored.SettledIdsJson!)!;
        Assert.InRange(ids.Count, BudgetLedgerState.SettledIdMemory, BudgetLedgerState.SettledIdMemory + BudgetLedgerState.SettledIdBatch);
        Assert.Equal(calls * 0.01m, decimal.Parse(stored.MonthSettledUsd, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Windows_roll_over_at_local_midnight_and_on_the_first_across_DST()
    {
        // Saturday 7 March 2026, 23:30 EST = 04:30 UTC on the 8th; clocks spring forward at 02:00 on the 8th.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 8, 4, 30, 0, TimeSpan.Zero));
        var options = Options(daily: 1.00m, monthly: 25m);
        var ledger = Ledger(options, time);
        var lateHold = await ledger.TryReserveAsync(0.80m, false, false, CancellationToken.None);
        Assert.Equal("2026-03-07", (await ledger.GetStatusAsync(CancellationToken.None)).Day.Key);

        time.SetUtcNow(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero)); // 00:00 EST on the 8th: a new day
        var status = await ledger.GetStatusAsync(CancellationToken.None);
        Assert.Equal("2026-03-08", status.Day.Key);
        Assert.Equal(TimeSpan.FromHours(23), status.Day.Length);
        Assert.Equal(1.00m, status.DaySpend.RemainingUsd);
        await ledger.SettleAsync(lateHold!, 0.50m, CancellationToken.None); // settled after midnight, booked on the 7th
        Assert.Equal(1.00m, (await ledger.GetStatusAsync(CancellationToken.None)).DaySpend.RemainingUsd);
        Assert.Equal(0.50m, (await ledger.GetStatusAsync(CancellationToken.None)).MonthSpend.SettledUsd);

        // 23:59 EDT on the 8th is 03:59 UTC on the 9th: still the 8th (a 23-hour day).
        time.SetUtcNow(new DateTimeOffset(2026, 3, 9, 3, 59, 0, TimeSpan.Zero));
        var h8 = await ledger.TryReserveAsync(0.90m, false, false, CancellationToken.None);
        await ledger.SettleAsync(h8!, 0.90m, CancellationToken.None);
        Assert.Null(await ledger.TryReserveAsync(0.20m, false, false, CancellationToken.None));
        time.SetUtcNow(new DateTimeOffset(2026, 3, 9, 4, 0, 0, TimeSpan.Zero));
        Assert.NotNull(await ledger.TryReserveAsync(0.20m, false, false, CancellationToken.None));

        // Month: 31 March 23:59 EDT = 1 April 03:59 UTC is March; 04:00 UTC is April with a fresh month budget.
        time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 3, 59, 0, TimeSpan.Zero));
        Assert.Equal("2026-03", (await ledger.GetStatusAsync(CancellationToken.None)).Month.Key);
        Assert.True((await ledger.GetStatusAsync(CancellationToken.None)).MonthSpend.SettledUsd >= 1.40m);
        time.SetUtcNow(new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero));
        var april = await ledger.GetStatusAsync(CancellationToken.None);
        Assert.Equal("2026-04", april.Month.Key);
        Assert.Equal(0m, april.MonthSpend.SettledUsd);
        Assert.Equal(0m, april.MonthSpend.ReservedUsd);
    }

    [Fact]
    public async Task Critical_reservations_are_recorded_but_never_blocked()
    {
        var options = Options(daily: 0.10m, monthly: 0.10m);
        var ledger = Ledger(options, TimeProvider.System);
        var spent = await ledger.TryReserveAsync(0.10m, false, false, CancellationToken.None);
        await ledger.SettleAsync(spent!, 0.10m, CancellationToken.None);
        Assert.Null(await ledger.TryReserveAsync(0.01m, false, false, CancellationToken.None));

        var critical = await ledger.TryReserveAsync(0.50m, critical: true, force: false, CancellationToken.None);

        Assert.NotNull(critical);
        await ledger.SettleAsync(critical, 0.42m, CancellationToken.None);
        var status = await ledger.GetStatusAsync(CancellationToken.None);
        Assert.Equal(0.52m, status.DaySpend.SettledUsd);
    }

    [Fact]
    public async Task Call_records_persist_by_day_and_are_queried_by_model_task_and_run()
    {
        var store = new TableCallRecordStore(new TableServiceClient(TestStorage.ConnectionString), TestStorage.UniqueTableName("calls"));
        var at = new DateTimeOffset(2026, 11, 20, 15, 0, 0, TimeSpan.Zero);
        GatewayCallRecord Rec(string run, string task, string model, decimal cost, int minute) => new()
        {
            CallId = Guid.NewGuid().ToString("N"), StartedUtc = at.AddMinutes(minute), Day = "2026-11-20", RunId = run, TaskType = task,
            Complexity = "COMPLEX", RequestedModel = model, ServedModel = model, SelectionReason = "Default", Outcome = "succeeded", CostUsd = cost,
            Attempts = [new GatewayAttempt(model, "ServerError", 503, 12.5), new GatewayAttempt(model, "ok", 200, 40)], InputTokens = 10, LatencyMs = 60,
        };
        await store.AppendAsync(Rec("run-a", "options_analysis", "kimi-k2", 0.001m, 1), CancellationToken.None);
        await store.AppendAsync(Rec("run-a", "trade_execution", "claude-opus", 0.02m, 2), CancellationToken.None);
        await store.AppendAsync(Rec("run-b", "options_analysis", "kimi-k2", 0.0015m, 3), CancellationToken.None);
        await store.AppendAsync(Rec("run-c", "options_analysis", "kimi-k2", 9m, 3) with { Day = "2026-11-19" }, CancellationToken.None);

        var reader = new GatewayTelemetryReader(store);
        var day = await reader.GetDailySummaryAsync(new DateOnly(2026, 11, 20), CancellationToken.None);
        var run = await reader.GetRunSpendAsync("run-a", new DateOnly(2026, 11, 20), CancellationToken.None);

        Assert.Equal(3, day.Calls);
        Assert.Equal(0.0225m, day.CostUsd);
        Assert.Equal(0.0025m, day.ByModel.Single(g => g.Key == "kimi-k2").CostUsd);
        Assert.Equal(2, day.ByTaskType.Single(g => g.Key == "options_analysis").Calls);
        Assert.Equal(new RunSpend("run-a", 2, 0.021m, false), run);
        var stored = await store.ReadDayAsync("2026-11-20", CancellationToken.None);
        Assert.Equal(["ServerError", "ok"], stored[0].Attempts.Select(a => a.Outcome));
    }
}
