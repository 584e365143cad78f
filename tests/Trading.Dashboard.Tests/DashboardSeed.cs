using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trading.Cli.Clocks;
using Trading.Core.Condors;
using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Core.Risk;
using Trading.Gateway.Budgets;
using Trading.Gateway.Telemetry;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Dashboard.Tests;

/// <summary>What was seeded (for the report and for sanity checks).</summary>
public sealed record SeedSummary(int Runs, int ClosedTrades, int Calls, string? OpenPositionId, TimeSpan Took);

/// <summary>
/// A seeded history written through the app's own stores, composed by <c>AddTradingPipeline</c> from the same settings the
/// served host uses (same tables): a weekday entry run and a management run per day, closed condors with their outcomes,
/// call records across models with a split on pre_trade_research and a shadow on risk_assessment, the budget settled day by
/// day, and one open condor placed on the simulated broker. Deterministic: everything follows from the day index.
/// </summary>
public static class DashboardSeed
{
    /// <summary>The split and shadow the seeded calls follow; pass these settings to the host too.</summary>
    public static IReadOnlyDictionary<string, string?> RoutingSettings { get; } = new Dictionary<string, string?>
    {
        ["Routing:Splits:pre_trade_research:Variants"] = "deepseek-r1=50;kimi-k2=50",
        ["Routing:Splits:risk_assessment:Variants"] = "mistral-medium-3=100",
        ["Routing:Splits:risk_assessment:Shadow"] = "deepseek-v3",
    };

    private static readonly string[] Variants = ["d15-w5", "d10-w5", "d20-w5"];

    /// <summary>Seeds <paramref name="days"/> days of history ending at <paramref name="now"/> (a moment the market is open).</summary>
    public static async Task<SeedSummary> SeedAsync(IConfiguration configuration, DateTimeOffset now, int days, int callDays, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var clock = new SimulationClock(now.AddDays(-days - 1));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(clock);
        services.AddTradingPipeline(configuration);
        await using var provider = services.BuildServiceProvider();
        var journal = provider.GetRequiredService<RunJournalStore>();
        var book = provider.GetRequiredService<PositionBook>();
        var memory = provider.GetRequiredService<TradeMemoryStore>();
        var calls = provider.GetRequiredService<CallRecordStore>();
        var ledger = provider.GetRequiredService<BudgetLedger>();

        var sessions = Enumerable.Range(0, days).Select(i => DateOnly.FromDateTime(now.UtcDateTime).AddDays(i - days))
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).ToArray();
        var plans = sessions.Select((day, i) => Plan(day, i, now, callDays)).ToArray();

        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (plan, ct) =>
        {
            await journal.SaveAsync(plan.Entry, ct);
            await journal.SaveAsync(plan.Manage, ct);
            if (plan.Closed is { } closed)
            {
                await book.TryAddAsync(closed.Position, ct);
            }

            foreach (var record in plan.Calls)
            {
                await calls.AppendAsync(record, ct);
            }
        });

        // Outcomes one by one: each recording recomputes its variant's posterior from the stored outcomes.
        foreach (var closed in plans.Select(p => p.Closed).OfType<ClosedTrade>())
        {
            await memory.RecordAsync("iron_condor", closed.Outcome, cancellationToken);
        }

        // The ledger books spend at its clock's "now": walk the clock through the days so each lands in its own window.
        foreach (var plan in plans.Where(p => p.Calls.Count > 0))
        {
            foreach (var record in plan.Calls.Where(r => r.CostUsd > 0))
            {
                clock.MoveTo(record.StartedUtc);
                var hold = await ledger.TryReserveAsync(record.CostUsd, critical: true, force: true, cancellationToken);
                await ledger.SettleAsync(hold!, record.CostUsd, cancellationToken);
            }
        }

        clock.MoveTo(now.AddMinutes(-30));
        var open = await OpenCondorAsync(provider, clock, cancellationToken);
        return new SeedSummary(plans.Length * 2, plans.Count(p => p.Closed is not null), plans.Sum(p => p.Calls.Count), open, started.Elapsed);
    }

    private sealed record DayPlan(RunJournal Entry, RunJournal Manage, ClosedTrade? Closed, IReadOnlyList<GatewayCallRecord> Calls);

    private sealed record ClosedTrade(PositionRecord Position, TradeOutcome Outcome);

    private static DayPlan Plan(DateOnly day, int i, DateTimeOffset now, int callDays)
    {
        var entryAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(14, 40)), TimeSpan.Zero);
        var id = "entry-" + entryAt.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture);
        var outcome = (i % 4) switch
        {
            0 => RunEndReasons.Traded,
            1 => RunEndReasons.CouncilDeclined,
            2 => RunEndReasons.RiskRejected,
            _ => RunEndReasons.EntryNotAllowed,
        };
        var variant = Variants[(i / 4) % 3];
        var splitModel = (i / 4) % 2 == 0 ? "deepseek-r1" : "kimi-k2";
        var reachedCouncil = outcome is RunEndReasons.Traded or RunEndReasons.CouncilDeclined;
        var approved = outcome == RunEndReasons.Traded;
        var stages = new List<StageRecord> { new() { Stage = ActivityNames.MarketSnapshot, Verdict = outcome == RunEndReasons.EntryNotAllowed ? "stop" : "ok", Summary = outcome == RunEndReasons.EntryNotAllowed ? "VIX 31.2 is above the 30 halt level" : "SPY 598.20, VIX 17.4, calm regime" } };
        if (outcome != RunEndReasons.EntryNotAllowed)
        {
            stages.Add(new() { Stage = ActivityNames.SelectStrategy, Verdict = "ENTER", Summary = $"{variant} drew 0.74" });
            stages.Add(new() { Stage = ActivityNames.RecallTradeMemory, Verdict = "PROCEED", Summary = "7/12 won (58.3%)" });
            stages.Add(new() { Stage = ActivityNames.RetrieveLessons, Verdict = "ok", Summary = "3 lessons, none blocking" });
            stages.Add(new() { Stage = ActivityNames.AssessRisk, Verdict = outcome == RunEndReasons.RiskRejected ? "stop" : "ok", Summary = outcome == RunEndReasons.RiskRejected ? "IV rank 12 is below 20" : "1 contract, risk $410 (0.41% of equity)" });
        }

        IReadOnlyList<CouncilVote> votes = [];
        if (reachedCouncil)
        {
            // The split model agrees with the council more often when it is deepseek-r1: something for the comparison to show.
            var splitApproves = splitModel == "deepseek-r1" ? approved : (i % 3 != 0);
            votes =
            [
                new() { Member = "pre_trade_research", DecidedBy = splitModel, Valid = true, Approve = splitApproves, Confidence = 0.72 },
                new() { Member = "options_analysis", DecidedBy = "kimi-k2", Valid = true, Approve = approved, Confidence = 0.66 },
                new() { Member = "risk_assessment", DecidedBy = "mistral-medium-3", Valid = true, Approve = approved || i % 2 == 0, Confidence = 0.61 },
            ];
            stages.Add(new() { Stage = ActivityNames.ConveneCouncil, Verdict = approved ? "approve" : "decline", Summary = approved ? "3 of 3 valid votes approve" : "2 of 3 valid votes decline" });
            if (approved)
            {
                stages.Add(new() { Stage = ActivityNames.DecideExecution, Verdict = "execute", Summary = "claude-opus: credit 1.05 for 1 contract" });
                stages.Add(new() { Stage = ActivityNames.PlaceOrder, Verdict = "filled", Summary = "filled 1 at 1.05 credit" });
            }
        }

        var withCalls = now - entryAt < TimeSpan.FromDays(callDays) && reachedCouncil;
        var calls = new List<GatewayCallRecord>();
        if (withCalls)
        {
            calls.Add(Call(id, entryAt, 0, "pre_trade_research", "COMPLEX", splitModel, i % 5 == 0 && splitModel == "deepseek-r1" ? "kimi-k2" : splitModel, splitModel, i % 7 == 0 ? "failed" : "succeeded", 0.0040m + (i % 5 * 0.0010m), 2_000 + (i % 9 * 350)));
            calls.Add(Call(id, entryAt, 1, "options_analysis", "COMPLEX", "kimi-k2", "kimi-k2", null, "succeeded", 0.0031m, 1_500 + (i % 6 * 200)));
            calls.Add(Call(id, entryAt, 2, "risk_assessment", "COMPLEX", "mistral-medium-3", "mistral-medium-3", null, "succeeded", 0.0022m, 900 + (i % 4 * 150)));
            calls.Add(Call(id, entryAt, 3, "risk_assessment", "COMPLEX", "deepseek-v3", "deepseek-v3", null, "succeeded", 0.0009m, 700 + (i % 3 * 100)) with
            {
                IsShadow = true, ShadowOf = $"{id}-2", AgreedWithPrimary = i % 3 != 0,
            });
            if (approved)
            {
                calls.Add(Call(id, entryAt, 4, "trade_execution", "CRITICAL", "claude-opus", "claude-opus", null, "succeeded", 0.0520m, 3_100 + (i % 5 * 400)));
            }
        }

        var entry = new RunJournal
        {
            InstanceId = id, Kind = RunKinds.Entry, Trigger = RunTriggers.Timer, StartedUtc = entryAt.UtcDateTime, EndedUtc = entryAt.UtcDateTime.AddSeconds(40),
            RecordedUtc = entryAt.AddSeconds(40), EndReason = outcome, EndDetail = stages[^1].Summary, Stages = stages, CouncilVotes = votes,
            DecisionMode = reachedCouncil ? "models" : string.Empty, LlmCostUsd = calls.Sum(c => c.CostUsd), MarketSimulated = true, BrokerSimulated = true,
            OrderId = approved ? $"sim-{i:D8}" : null,
        };
        var manageAt = entryAt.AddHours(4);
        var manage = new RunJournal
        {
            InstanceId = "manage-" + manageAt.ToString("yyyy-MM-ddTHH:mmZ", CultureInfo.InvariantCulture), Kind = RunKinds.Manage, Trigger = RunTriggers.Timer,
            StartedUtc = manageAt.UtcDateTime, EndedUtc = manageAt.UtcDateTime.AddSeconds(5), RecordedUtc = manageAt.AddSeconds(5),
            EndReason = RunEndReasons.PositionsManaged, EndDetail = "1 position checked, held",
            Stages = [new() { Stage = ActivityNames.LoadOpenPositions, Verdict = "ok", Summary = "1 open" }, new() { Stage = ActivityNames.EvaluateExit, Verdict = "hold", Summary = "debit 0.62, no exit" }],
            MarketSimulated = true, BrokerSimulated = true,
        };

        ClosedTrade? closed = null;
        var closedAt = entryAt.AddDays(14);
        if (approved && closedAt < now.AddDays(-1))
        {
            // About 70% of condors win; d20-w5 (the 20-delta shorts, nearest the money) loses more often, so the posteriors differ.
            var won = (i / 4) % 7 is not (2 or 5) && !(variant == "d20-w5" && (i / 4) % 2 == 0);
            var credit = 1.05m;
            var debit = won ? 0.52m : 2.10m;
            var pnl = (credit - debit) * 100m;
            var positionId = "ic-" + id;
            closed = new ClosedTrade(
                new PositionRecord
                {
                    PositionId = positionId, RunId = id, State = PositionStates.Closed, Variant = variant, EntryReason = "calm regime", Expiration = day.AddDays(35),
                    Legs = Legs(day.AddDays(35), 598m), Contracts = 1, WingWidthDollars = 5m, LimitCredit = credit, EntryCredit = credit, OpenedUtc = entryAt,
                    EntryFilledUtc = entryAt, ExitReason = won ? "TakeProfit" : "StopLoss", ExitDebit = debit, ClosedUtc = closedAt, RealizedPnlDollars = pnl, SimulatedBroker = true,
                },
                new TradeOutcome(positionId, "SPY", variant, "calm regime", MarketRegime.Calm, VolatilityBand.Quiet, 35, 0.15, 5m, day.DayOfWeek, credit, debit, pnl, won, closedAt, won ? "TakeProfit" : "StopLoss"));
        }

        return new DayPlan(entry, manage, closed, calls);
    }

    private static GatewayCallRecord Call(
        string runId, DateTimeOffset at, int n, string task, string complexity, string requested, string served, string? split, string outcome, decimal cost, double latencyMs)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var started = at.AddSeconds(n * 3);
        var failed = outcome != "succeeded";
        return new GatewayCallRecord
        {
            CallId = $"{runId}-{n}", StartedUtc = started, Day = Gateway.Routing.BudgetWindow.DayOf(started, zone).Key, RunId = runId, TaskType = task,
            Complexity = complexity, RequestedModel = requested, ServedModel = failed ? null : served, SelectionReason = split is null ? (complexity == "CRITICAL" ? "Critical" : "Default") : "Split",
            SplitVariant = split,
            Attempts = requested == served || failed ? [new(requested, failed ? "ServerError" : "ok", failed ? 503 : 200, latencyMs)] : [new(requested, "RateLimited", 429, 300), new(served, "ok", 200, latencyMs - 300)],
            InputTokens = 1_800, OutputTokens = 400, CostUsd = failed ? 0m : cost, LatencyMs = latencyMs, Outcome = outcome, FailureReason = failed ? "503 from the gateway" : null,
        };
    }

    private static IReadOnlyList<ProposalLeg> Legs(DateOnly expiration, decimal spot) =>
    [
        Leg(expiration, "put", spot - 35m, "buy"), Leg(expiration, "put", spot - 30m, "sell"),
        Leg(expiration, "call", spot + 30m, "sell"), Leg(expiration, "call", spot + 35m, "buy"),
    ];

    private static ProposalLeg Leg(DateOnly expiration, string right, decimal strike, string side) => new()
    {
        Symbol = new Core.Options.OccSymbol("SPY", expiration, right == "put" ? Core.Options.OptionRight.Put : Core.Options.OptionRight.Call, strike).ToString(),
        Right = right, Strike = strike, Side = side,
    };

    /// <summary>Builds a condor on the simulated chain and sells it on the simulated broker (a marketable limit fills at once).</summary>
    private static async Task<string?> OpenCondorAsync(IServiceProvider services, TimeProvider clock, CancellationToken cancellationToken)
    {
        var market = services.GetRequiredService<IMarketData>();
        var broker = services.GetRequiredService<IBroker>();
        var settings = services.GetRequiredService<CondorSettings>();
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var chain = await market.GetOptionChainAsync("SPY", today.AddDays(settings.MinDte), today.AddDays(settings.MaxDte), cancellationToken);
        var built = new IronCondorBuilder(settings).Build(chain, now);
        if (built.Condor is null)
        {
            throw new InvalidOperationException("The simulated chain gave no condor to seed: " + built.Refusal);
        }

        var proposal = ProposalMapping.ToProposal(built.Condor);
        var positionId = "ic-seeded-open";
        var order = await broker.PlaceOrderAsync(MultiLegOrder.OpenForCredit(positionId, 1, 0.05m, ProposalMapping.OpeningLegs(proposal)), cancellationToken);
        var credit = Math.Abs(order.FilledAveragePrice ?? proposal.MidCredit);
        await services.GetRequiredService<PositionBook>().TryAddAsync(new PositionRecord
        {
            PositionId = positionId, RunId = "entry-seeded", State = order.Status == OrderStatus.Filled ? PositionStates.Open : PositionStates.Opening,
            Variant = "d15-w5", EntryReason = "calm regime", Expiration = proposal.Expiration, Legs = proposal.Legs, Contracts = 1,
            WingWidthDollars = proposal.WingWidthDollars, LimitCredit = 0.05m, EntryOrderId = order.OrderId, EntryCredit = order.Status == OrderStatus.Filled ? credit : null,
            OpenedUtc = now, EntryFilledUtc = order.FilledAt, SimulatedBroker = true,
        }, cancellationToken);
        return positionId;
    }
}
