using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Memory;
using Trading.Core.Markets;
using Trading.Core.Risk;
using Trading.Gateway.Routing;
using Trading.Core.Strategy;
using Trading.Gateway.Budgets;
using Trading.Gateway.Configuration;
using Trading.Gateway.Telemetry;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Dashboard;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Dashboard;

/// <summary>The panel queries over the real stores (in memory), with hand-computed expectations.</summary>
public sealed class DashboardQueriesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 15, 30, 0, TimeSpan.Zero); // 10:30 New York
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public async Task Spend_sums_calls_per_day_and_per_model_with_nearest_rank_percentiles_fallbacks_and_critical_calls()
    {
        var time = new ManualTime(Now);
        var calls = new InMemoryCallRecordStore();
        // kimi-k2 today: latencies 100..1000 ms and a 1,500 ms call that fell back from deepseek-r1: of 11, p50 is the 6th (600), p95 the 11th.
        for (var i = 1; i <= 10; i++)
        {
            await calls.AppendAsync(Call($"k{i}", Now.AddMinutes(-i), "kimi-k2", "kimi-k2", 0.001m * i, i * 100), CancellationToken.None);
        }

        await calls.AppendAsync(Call("fb", Now.AddMinutes(-30), "deepseek-r1", "kimi-k2", 0.002m, 1_500) with
        {
            Attempts = [new("deepseek-r1", "RateLimited", 429, 200), new("kimi-k2", "ok", 200, 1_300)],
        }, CancellationToken.None);
        await calls.AppendAsync(Call("opus", Now.AddDays(-2), "claude-opus", "claude-opus", 0.05m, 3_000) with { Complexity = "CRITICAL" }, CancellationToken.None);
        await calls.AppendAsync(Call("bad", Now.AddDays(-2), "mistral-medium-3", null, 0m, 45_000) with { Outcome = "failed" }, CancellationToken.None);
        await calls.AppendAsync(Call("old", Now.AddDays(-40), "kimi-k2", "kimi-k2", 9m, 100), CancellationToken.None); // outside a 30-day window
        var ledger = new InMemoryBudgetLedger(new BudgetOptions(), time, NullLogger<InMemoryBudgetLedger>.Instance);
        var hold = await ledger.TryReserveAsync(0.1m, critical: false, force: false, CancellationToken.None);
        await ledger.SettleAsync(hold!, 0.0575m, CancellationToken.None);

        var panel = await new LlmSpendQuery(ledger, calls, time).ReadAsync(30, CancellationToken.None);

        Assert.Equal(30, panel.PerDay.Count);
        Assert.Equal("2026-11-24", panel.PerDay[^1].Day);
        Assert.Equal(11, panel.PerDay[^1].Calls);
        Assert.Equal(0.057m, panel.PerDay[^1].CostUsd);
        Assert.Equal((2, 1, 1), (panel.PerDay[^3].Calls, panel.PerDay[^3].CriticalCalls, panel.PerDay[^3].Failures));
        Assert.Equal(13, panel.Calls);
        Assert.Equal(0.107m, panel.CostUsd);
        var kimi = panel.PerModel.Single(m => m.Model == "kimi-k2");
        Assert.Equal((11, 600.0, 1_500.0, 1, 0), (kimi.Calls, kimi.P50LatencyMs!.Value, kimi.P95LatencyMs!.Value, kimi.Fallbacks, kimi.Failures));
        Assert.Equal(1, panel.PerModel.Single(m => m.Model == "mistral-medium-3").Failures);
        var critical = Assert.Single(panel.CriticalCalls);
        Assert.Equal("claude-opus", critical.ServedModel);
        Assert.Equal((0.83m, 25m), (panel.DailyLimitUsd, panel.MonthlyLimitUsd));
        Assert.Equal(0.0575m, panel.Today.SpentUsd);
        Assert.Equal("2026-11", panel.MonthToDate.Window);
    }

    [Fact]
    public async Task Model_comparison_puts_split_arms_and_a_shadow_side_by_side_with_agreement_from_the_votes()
    {
        var time = new ManualTime(Now);
        var tables = PipelineTables.InMemory(new PipelineTablesOptions(), time);
        var journal = new RunJournalStore(tables, time);
        var calls = new InMemoryCallRecordStore();
        // Four runs: deepseek-r1 sits twice and agrees twice; kimi-k2 sits twice and agrees once.
        var sittings = new[] { ("deepseek-r1", true, true), ("deepseek-r1", false, false), ("kimi-k2", true, true), ("kimi-k2", true, false) };
        for (var i = 0; i < sittings.Length; i++)
        {
            var (model, vote, council) = sittings[i];
            var runId = $"entry-{i}";
            await journal.SaveAsync(new RunJournal
            {
                InstanceId = runId, StartedUtc = Now.AddHours(-i - 1).UtcDateTime, RecordedUtc = Now.AddHours(-i - 1), EndReason = council ? RunEndReasons.Traded : RunEndReasons.CouncilDeclined,
                Stages = [new StageRecord { Stage = ActivityNames.ConveneCouncil, Verdict = council ? "approve" : "decline" }],
                CouncilVotes = [new CouncilVote { Member = "pre_trade_research", DecidedBy = model, Valid = true, Approve = vote }, new CouncilVote { Member = "risk_assessment", DecidedBy = "mistral-medium-3", Valid = true, Approve = council }],
            }, CancellationToken.None);
            await calls.AppendAsync(Call($"{runId}-a", Now.AddHours(-i - 1), model, model, 0.004m, 1_000 * (i + 1)) with { TaskType = "pre_trade_research", SplitVariant = model, RunId = runId }, CancellationToken.None);
            await calls.AppendAsync(Call($"{runId}-b", Now.AddHours(-i - 1), "mistral-medium-3", "mistral-medium-3", 0.002m, 900) with { TaskType = "risk_assessment", RunId = runId }, CancellationToken.None);
            await calls.AppendAsync(Call($"{runId}-c", Now.AddHours(-i - 1), "deepseek-v3", "deepseek-v3", 0.001m, 700) with
            {
                TaskType = "risk_assessment", RunId = runId, IsShadow = true, AgreedWithPrimary = i != 3,
            }, CancellationToken.None);
        }

        var policy = new RoutingOptions
        {
            Splits =
            {
                ["pre_trade_research"] = new SplitOptions { Variants = "deepseek-r1=80;kimi-k2=20" },
                ["risk_assessment"] = new SplitOptions { Variants = "mistral-medium-3=1", Shadow = "deepseek-v3" },
            },
        }.ToPolicy(BudgetExhaustedAction.CheapestModel);

        var panel = await new ModelComparisonQuery(calls, journal, policy, NewYork, time).ReadAsync(7, CancellationToken.None);

        Assert.Equal(4, panel.RunsCompared);
        var split = Assert.Single(panel.Comparisons, c => c.Kind == "split");
        Assert.Equal("pre_trade_research", split.TaskType);
        Assert.True(split.Configured);
        var r1 = split.Arms.Single(a => a.Model == "deepseek-r1");
        var kimi = split.Arms.Single(a => a.Model == "kimi-k2");
        Assert.Equal((80, 2, 0.008m, 2, 2, 1.0), (r1.Weight!.Value, r1.Calls, r1.CostUsd, r1.Compared, r1.Agreed, r1.AgreementRate!.Value));
        Assert.Equal((20, 2, 1, 0.5), (kimi.Weight!.Value, kimi.Compared, kimi.Agreed, kimi.AgreementRate!.Value));
        Assert.Equal((3_000.0, 4_000.0), (kimi.P50LatencyMs!.Value, kimi.P95LatencyMs!.Value));
        var shadow = Assert.Single(panel.Comparisons, c => c.Kind == "shadow");
        Assert.Equal(["primary", "shadow"], shadow.Arms.Select(a => a.Role));
        Assert.Equal((4, 4, 4, AgreementBases.CouncilDecision), (shadow.Arms[0].Calls, shadow.Arms[0].Compared, shadow.Arms[0].Agreed, shadow.Arms[0].AgreementBasis));
        Assert.Equal((4, 3, 0.75, AgreementBases.PrimaryAnswer), (shadow.Arms[1].Calls, shadow.Arms[1].Agreed, shadow.Arms[1].AgreementRate!.Value, shadow.Arms[1].AgreementBasis));
    }

    [Fact]
    public async Task Strategy_shows_each_variant_posterior_with_a_band_around_its_mean_and_the_memory_verdict()
    {
        var time = new ManualTime(Now);
        var tables = PipelineTables.InMemory(new PipelineTablesOptions(), time);
        var memory = new TradeMemoryStore(tables, new SamplerSettings());
        for (var i = 0; i < 8; i++)
        {
            var won = i != 3;
            await memory.RecordAsync("iron_condor", new TradeOutcome($"ic-{i}", "SPY", "d15-w5", "calm", MarketRegime.Calm, VolatilityBand.Quiet, 30, 0.15, 5m,
                DayOfWeek.Monday, 1m, won ? 0.5m : 2m, won ? 50m : -100m, won, Now.AddDays(-20 + i), won ? "TakeProfit" : "StopLoss"), CancellationToken.None);
        }

        var panel = await new StrategyQuery(memory, new PipelineOptions { Variants = "d15-w5,d10-w5" }, new MemorySettings()).ReadAsync(CancellationToken.None);

        var traded = panel.Variants.Single(v => v.Variant == "d15-w5");
        Assert.Equal((8.0, 2.0, 0.8), (traded.Alpha, traded.Beta, traded.Mean)); // Beta(1 + 7 wins, 1 + 1 loss)
        Assert.InRange(traded.Mean, traded.BandLow, traded.BandHigh);
        Assert.Equal((8, 7, 250m, "STRONG_PROCEED"), (traded.ClosedTrades, traded.Wins, traded.RealizedPnlDollars, traded.MemoryVerdict));
        var fresh = panel.Variants.Single(v => v.Variant == "d10-w5");
        Assert.Equal((0.5, 0.05, 0.95, "NO_HISTORY"), (fresh.Mean, fresh.BandLow, fresh.BandHigh, fresh.MemoryVerdict));
    }

    [Fact]
    public void The_equity_curve_marks_drawdown_below_the_running_peak()
    {
        var curve = AccountQuery.EquityCurve(100m, [(Now.AddDays(-3), 10m), (Now.AddDays(-2), -20m), (Now.AddDays(-1), 5m)], Now, 96m);

        Assert.Equal([100m, 110m, 90m, 95m, 96m], curve.Select(p => p.Equity));
        Assert.Equal([0m, 0m, 18.18m, 13.64m, 12.73m], curve.Select(p => p.DrawdownPct));
    }

    [Fact]
    public async Task Runs_filter_by_outcome_and_count_the_outcomes_they_read()
    {
        var time = new ManualTime(Now);
        var journal = new RunJournalStore(PipelineTables.InMemory(new PipelineTablesOptions(), time), time);
        for (var i = 0; i < 9; i++)
        {
            await journal.SaveAsync(new RunJournal
            {
                InstanceId = $"entry-{i}", RecordedUtc = Now.AddHours(i), EndReason = i % 3 == 0 ? RunEndReasons.Traded : RunEndReasons.RiskRejected,
            }, CancellationToken.None);
        }

        var query = new RunsQuery(journal);
        var traded = await query.ReadAsync(RunEndReasons.Traded, 2, CancellationToken.None);
        var all = await query.ReadAsync(null, 50, CancellationToken.None);

        Assert.Equal(["entry-6", "entry-3"], traded.Runs.Select(r => r.InstanceId));
        Assert.Equal(3, traded.OutcomeCounts[RunEndReasons.Traded]);
        Assert.Equal(9, all.Runs.Count);
        Assert.Contains(RunEndReasons.CouncilDeclined, all.Outcomes);
        await Assert.ThrowsAsync<ArgumentException>(() => query.ReadAsync("bogus", 5, CancellationToken.None));
    }

    [Fact]
    public async Task After_a_traded_run_the_positions_and_account_panels_show_the_condor_at_the_brokers_marks()
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var (_, entry) = await harness.StartAndRunAsync(RunKinds.Entry, "entry-2026-11-23T15:00Z", new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);
        Assert.True(entry!.Output!.EndReason is RunEndReasons.Traded, entry.Output.EndDetail);
        // The journal keeps the council's votes (the model comparison reads them): one per member, all valid offline.
        Assert.Equal(["pre_trade_research", "options_analysis", "risk_assessment"], entry.Output.CouncilVotes.Select(v => v.Member));
        Assert.All(entry.Output.CouncilVotes, v => Assert.Equal("offline-rules", v.DecidedBy));
        var api = harness.Services.GetRequiredService<DashboardApi>();

        var response = await api.GetPanelAsync("positions", new Dictionary<string, string?>(), CancellationToken.None);

        Assert.Equal(200, response.StatusCode);
        var panel = JsonSerializer.Deserialize<PositionsPanel>(response.Json, Web)!;
        var condor = Assert.Single(panel.Positions);
        var quote = await harness.Services.GetRequiredService<IMarketData>().GetQuoteAsync("SPY", CancellationToken.None);
        Assert.Equal(quote.Mid, panel.UnderlyingPrice);
        Assert.Equal(quote.Mid - condor.ShortPutStrike, condor.DistanceToShortPut);
        Assert.Equal(condor.ShortCallStrike - quote.Mid, condor.DistanceToShortCall);
        Assert.True(condor.LongPutStrike < condor.ShortPutStrike && condor.ShortCallStrike < condor.LongCallStrike);
        Assert.Equal(4, condor.Legs.Count);
        Assert.Equal(PositionStates.Open, condor.State);
        var marks = await harness.Services.GetRequiredService<IBroker>().GetPositionsAsync(CancellationToken.None);
        Assert.Equal(decimal.Round(-marks.Sum(m => m.MarketValue) / (100m * condor.Contracts), 4), condor.CurrentDebit);
        Assert.Equal(marks.Sum(m => m.UnrealizedPnl), condor.UnrealizedPnlDollars);
        Assert.Equal(decimal.Round(condor.EntryCredit * 0.5m, 4), condor.TakeProfitDebit); // Exit:TakeProfitPct 50
        Assert.Equal(decimal.Round(condor.EntryCredit * 3m, 4), condor.StopDebit);         // Exit:StopLossPct 200
        Assert.Equal(condor.Expiration.AddDays(-7), condor.TimeExitDate);

        var account = JsonSerializer.Deserialize<AccountPanel>(
            (await api.GetPanelAsync("account", new Dictionary<string, string?>(), CancellationToken.None)).Json, Web)!;
        var broker = await harness.Services.GetRequiredService<IBroker>().GetAccountAsync(CancellationToken.None);
        Assert.Equal((broker.Equity, broker.Cash, false), (account.Equity, account.Cash, account.Halt.Halted));
        Assert.Equal(condor.UnrealizedPnlDollars, account.UnrealizedPnlDollars);
    }

    [Theory]
    [InlineData("nonsense", null, 404)]
    [InlineData("spend", "days=0", 400)]
    [InlineData("runs", "outcome=traded", 200)]
    [InlineData("strategy", "code=the-key", 200)]
    [InlineData("strategy", "x=1", 400)]
    public async Task The_api_answers_each_panel_or_names_the_bad_input(string panel, string? query, int status)
    {
        await using var harness = await PipelineHarness.CreateAsync();
        var parameters = query is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { [query.Split('=')[0]] = query.Split('=')[1] };

        var response = await harness.Services.GetRequiredService<DashboardApi>().GetPanelAsync(panel, parameters, CancellationToken.None);

        Assert.Equal(status, response.StatusCode);
        if (status != 200)
        {
            Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(response.Json).RootElement.GetProperty("error").GetString()));
        }
    }

    private static GatewayCallRecord Call(string id, DateTimeOffset at, string requested, string? served, decimal cost, double latencyMs) => new()
    {
        CallId = id, StartedUtc = at, Day = BudgetWindow.DayOf(at, NewYork).Key, RunId = "run-" + id, TaskType = "options_analysis", Complexity = "COMPLEX",
        RequestedModel = requested, ServedModel = served, SelectionReason = "Default", CostUsd = cost, LatencyMs = latencyMs, Outcome = "succeeded",
        Attempts = [new(requested, "ok", 200, latencyMs)],
    };
}
