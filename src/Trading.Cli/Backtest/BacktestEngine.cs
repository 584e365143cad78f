using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Trading.Cli.Clocks;
using Trading.Cli.Commands;
using Trading.Cli.Configuration;
using Trading.Core.Markets;
using Trading.Gateway.Routing;
using Trading.Markets.Calendar;
using Trading.Markets.Simulation;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Scheduling;
using Trading.Pipeline.State;

namespace Trading.Cli.Backtest;

/// <summary>
/// The pipeline over simulated trading days: at every slot of the entry and management schedules (the same NCRONTAB
/// settings and entry gate as the timers) the clock is moved there and the run executes the shared orchestration code (activities called directly, no engine),
/// with the simulated market and broker, the offline council, and every table in memory.
/// </summary>
public sealed partial class BacktestEngine
{
    private readonly IConfiguration _configuration;

    public BacktestEngine(IConfiguration configuration)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
    }

    /// <summary>
    /// How an entry run ended, for the report's tally of why days passed without a trade: the end reason, and for a risk
    /// rejection the rules that refused (the first words of each violation).
    /// </summary>
    public static string EntryOutcome(Trading.Pipeline.Journal.RunJournal? journal)
    {
        if (journal is null)
        {
            return "not run";
        }

        if (journal.EndReason != Trading.Pipeline.Journal.RunEndReasons.RiskRejected)
        {
            return journal.EndReason;
        }

        // Violations read "Rule: message" joined by "; " (messages may hold "; " too, never a capitalised word and a colon).
        var rules = RuleName().Matches(journal.EndDetail).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);
        return journal.EndReason + ": " + string.Join(" + ", rules);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:^rejected: |; )([A-Z][A-Za-z]+): ")]
    private static partial System.Text.RegularExpressions.Regex RuleName();

    /// <summary>What the figures rest on, printed at the top of the report.</summary>
    public static IReadOnlyList<string> Assumptions(SimulationSettings simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        return
        [
            "A simulated SPY (regime-switching path, Black–Scholes chains with skew), not history; the offline rules stand in for the models.",
            simulation.Fills == FillModels.Pessimistic
                ? "Fills PESSIMISTIC: an order fills only when its limit is at or beyond the natural price, and then at its limit."
                : string.Create(c, $"Fills realistic: marketable orders fill at the natural price + ${simulation.SlippagePerOrderDollars} (capped at the limit); resting ones by a seeded chance (5%/half hour at the mid, up to 50% next to the natural, 2% above the mid), a resting order for several contracts sometimes in part."),
            "Exits are sent at the natural debit + Exit:CloseLimitAboveNaturalDollars, so they pay the spread.",
            string.Create(c, $"Fees per contract per leg: commission ${simulation.CommissionPerContractDollars} + OCC/ORF/CAT ${simulation.FeePerContractDollars}, + TAF ${simulation.SellFeePerContractDollars} on sells; trade P&L is net of them."),
            "Options left open at expiration are physically settled: in the money at the close → shares, unwound at the next open.",
        ];
    }

    /// <summary>Runs the backtest; <paramref name="progress"/> gets (days done, trading days, current date).</summary>
    public async Task<BacktestReport> RunAsync(BacktestArguments arguments, Action<int, int, DateOnly>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var stopwatch = Stopwatch.StartNew();
        var sessions = NyseCalendar.Sessions(arguments.From, arguments.To);
        var start = sessions.Count > 0 ? NyseCalendar.OpenAt(sessions[0].Date).AddHours(-1) : EasternTime.At(arguments.From, new TimeOnly(8, 0));
        var clock = new SimulationClock(start);
        await using var system = BacktestSystem.Create(_configuration, arguments, clock);
        var costs = new LlmCostEstimate(ModelRegistry.Default, new RoutingPolicy(), system.CouncilMembers);

        var days = new List<BacktestDay>(sessions.Count);
        var entryOutcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var monthSpend = 0m;
        var month = -1;
        for (var i = 0; i < sessions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var session = sessions[i];
            if (session.Date.Month != month)
            {
                month = session.Date.Month;
                monthSpend = 0m;
            }

            var dayStart = EasternTime.At(session.Date, TimeOnly.MinValue);
            var dayEnd = dayStart.AddDays(1);
            var slots = system.Calendar.NextSlots(RunKinds.Entry, dayStart, 4)
                .Concat(system.Calendar.NextSlots(RunKinds.Manage, dayStart, 96))
                .Where(s => s.SlotUtc < dayEnd)
                .OrderBy(s => s.SlotUtc)
                .ThenBy(s => s.Kind == RunKinds.Manage ? 0 : 1) // manage first: exits free risk capacity for the entry
                .ToList();

            var calls = 0;
            var bats = 0m;
            var opus = 0m;
            foreach (var slot in slots)
            {
                clock.MoveTo(slot.SlotUtc > clock.GetUtcNow() ? slot.SlotUtc : clock.GetUtcNow());
                if (slot.Kind == RunKinds.Entry)
                {
                    var gate = await system.Calendar.CheckEntryAsync(system.Market, slot.SlotUtc, cancellationToken);
                    if (!gate.Allowed)
                    {
                        continue;
                    }
                }

                // The same orchestration code as on the engines, driven directly (see BacktestOrchestrationContext).
                var run = new BacktestOrchestrationContext(slot.InstanceId, system.Activities, clock);
                var request = new RunRequest { RunId = slot.InstanceId, Trigger = RunTriggers.Backtest };
                var journal = slot.Kind == RunKinds.Manage
                    ? await ManagePositionsOrchestration.RunAsync(run, request)
                    : await EntryOrchestration.RunAsync(run, request);
                if (slot.Kind == RunKinds.Entry)
                {
                    var outcome = EntryOutcome(journal);
                    entryOutcomes[outcome] = entryOutcomes.GetValueOrDefault(outcome) + 1;
                    var log = run.Log;
                    var headroom = Math.Min(system.Budget.DailyLimitUsd - bats, system.Budget.MonthlyLimitUsd - monthSpend - bats);
                    foreach (var call in costs.Estimate(log, headroom))
                    {
                        calls++;
                        bats += call.BatsCostUsd;
                        opus += call.OpusOnlyCostUsd;
                    }
                }
            }

            monthSpend += bats;
            var close = NyseCalendar.CloseAt(session.Date);
            if (close > clock.GetUtcNow())
            {
                clock.MoveTo(close);
            }

            var account = await system.Broker.GetAccountAsync(cancellationToken);
            days.Add(new BacktestDay(session.Date, account.Equity, calls, bats, opus, system.Budget.DailyLimitUsd));
            progress?.Invoke(i + 1, sessions.Count, session.Date);
        }

        // Outcomes are the record of closed trades (P&L for the whole position, exit reason); the book adds the opening day.
        var opened = (await system.Positions.AllAsync(cancellationToken)).ToDictionary(p => p.PositionId, StringComparer.Ordinal);
        var sim = system.Simulation;
        var trades = (await system.Memory.OutcomesAsync(system.Strategy, cancellationToken))
            .Select(o =>
            {
                var contracts = opened.TryGetValue(o.PositionId, out var p) ? p.Contracts : 1;
                // Each order of a condor has two buy and two sell legs; an assigned condor had no closing order.
                var fees = sim.FeesFor(contracts, 2, 2) * (o.ExitReason == Trading.Pipeline.Activities.Manage.EvaluateExitActivity.AssignedExit ? 1 : 2);
                return new BacktestTrade(
                    o.PositionId,
                    o.StrategyVariantId,
                    p is not null ? EasternTime.DateOf(p.OpenedUtc) : EasternTime.DateOf(o.ClosedAt),
                    EasternTime.DateOf(o.ClosedAt),
                    o.EntryCredit * contracts * 100m,
                    decimal.Round(o.Pnl - fees, 2),
                    o.ExitReason,
                    decimal.Round(fees, 2));
            })
            .OrderBy(t => t.Closed)
            .ThenBy(t => t.PositionId, StringComparer.Ordinal)
            .ToList();

        return BacktestReport.Create(
            arguments.From,
            arguments.To,
            arguments.Seed,
            system.Variants,
            system.StartingEquityUsd,
            days,
            trades,
            llmCostEstimated: true,
            LlmCostEstimate.Rule,
            stopwatch.Elapsed,
            Assumptions(sim)) with
        {
            EntryOutcomes = [.. entryOutcomes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new EntryOutcomeCount(kv.Key, kv.Value))],
        };
    }
}
