using Microsoft.Extensions.Configuration;
using Trading.Cli.Clocks;
using Trading.Cli.Commands;
using Trading.Cli.Configuration;
using Trading.Core.Condors;
using Trading.Core.Exits;
using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Core.Risk;
using Trading.Core.Strategy;
using Trading.Core.Routing;
using Trading.Gateway.Configuration;
using Trading.Markets.Simulation;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Council;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Scheduling;
using Trading.Pipeline.State;
using Trading.Storage.Tables;

namespace Trading.Cli.Backtest;

/// <summary>
/// The pieces a backtest runs on, composed for one run: in-memory tables, the simulated market and broker on the
/// simulation clock, the offline council, the in-process runner, and the schedule settings the timers use.
/// </summary>
internal sealed class BacktestSystem
{
    private BacktestSystem(
        InProcessOrchestrationRunner runner,
        IMarketData market,
        IBroker broker,
        TradingCalendar calendar,
        TradeMemoryStore memory,
        PositionBook positions,
        BudgetOptions budget,
        string strategy,
        IReadOnlyList<string> variants,
        IReadOnlyList<string> councilMembers,
        decimal startingEquityUsd)
    {
        Runner = runner;
        Market = market;
        Broker = broker;
        Calendar = calendar;
        Memory = memory;
        Positions = positions;
        Budget = budget;
        Strategy = strategy;
        Variants = variants;
        CouncilMembers = councilMembers;
        StartingEquityUsd = startingEquityUsd;
    }

    public InProcessOrchestrationRunner Runner { get; }

    public IMarketData Market { get; }

    public IBroker Broker { get; }

    public TradingCalendar Calendar { get; }

    public TradeMemoryStore Memory { get; }

    public PositionBook Positions { get; }

    public BudgetOptions Budget { get; }

    public string Strategy { get; }

    public IReadOnlyList<string> Variants { get; }

    public IReadOnlyList<string> CouncilMembers { get; }

    public decimal StartingEquityUsd { get; }

    /// <summary>Binds and validates every setting the backtest uses; throws one <see cref="CliUsageException"/> listing every bad one.</summary>
    public static BacktestSystem Create(IConfiguration configuration, BacktestArguments arguments, SimulationClock clock)
    {
        var simulation = Bind<SimulationSettings>(configuration, SimulationSettings.SectionName);
        simulation.Seed = arguments.Seed;
        if (arguments.From < simulation.PathStartDate.AddDays(45))
        {
            // The snapshot needs about a year of history (volatility rank); start the simulated path well before the range.
            simulation.PathStartDate = arguments.From.AddDays(-400);
        }

        var pipeline = Bind<PipelineOptions>(configuration, PipelineOptions.SectionName);
        if (arguments.Variants.Count > 0)
        {
            pipeline.Variants = string.Join(',', arguments.Variants);
        }

        var condor = Bind<CondorSettings>(configuration, CondorSettings.SectionName);
        var council = Bind<CouncilOptions>(configuration, CouncilOptions.SectionName);
        var execution = Bind<ExecutionOptions>(configuration, ExecutionOptions.SectionName);
        var exit = Bind<ExitRules>(configuration, ExitRules.SectionName);
        var risk = Bind<RiskLimits>(configuration, RiskLimits.SectionName);
        var sampler = Bind<SamplerSettings>(configuration, SamplerSettings.SectionName);
        var memory = Bind<MemorySettings>(configuration, MemorySettings.SectionName);
        var budget = Bind<BudgetOptions>(configuration, BudgetOptions.SectionName);
        var schedule = ScheduleOptions.Bind(configuration);

        var errors = new List<string>();
        try
        {
            simulation.Validate();
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        errors.AddRange(pipeline.Validate());
        errors.AddRange(condor.Validate());
        errors.AddRange(council.Validate());
        errors.AddRange(execution.Validate());
        errors.AddRange(exit.Validate());
        errors.AddRange(risk.Validate());
        errors.AddRange(sampler.Validate());
        errors.AddRange(memory.Validate());
        errors.AddRange(budget.Validate());
        errors.AddRange(schedule.Validate());
        if (errors.Count > 0)
        {
            throw new CliUsageException("Invalid settings:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", errors));
        }

        var tables = new PipelineTables(InMemoryTables.CreateServiceClient(clock), new PipelineTablesOptions());
        var market = new SimulatedMarket(simulation, clock);
        var broker = new SimulatedBroker(market.Model, simulation, clock);
        var entry = new EntryActivities(market, broker, OfflineGateway.Instance, lessons: null, tables, new EntryRiskCheck(risk), sampler, memory, pipeline, condor, council, execution, clock);
        var manage = new ManageActivities(market, broker, tables, exit, sampler, pipeline, clock);
        var runner = new InProcessOrchestrationRunner(tables, new ActivityCatalog(entry, manage), clock, new InProcessRunnerOptions { RetryDelayScale = 0 });
        return new BacktestSystem(
            runner,
            market,
            broker,
            new TradingCalendar(schedule),
            new TradeMemoryStore(tables, sampler),
            new PositionBook(tables),
            budget,
            pipeline.Strategy,
            pipeline.VariantList.Select(v => v.Id).ToArray(),
            council.MemberList,
            simulation.StartingEquityDollars);
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        try
        {
            return configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new CliUsageException($"Invalid settings in section {section}: {e.Message}");
        }
    }

    /// <summary>A backtest never calls models: every decision comes from the offline rules, and costs are estimated.</summary>
    private sealed class OfflineGateway : IModelGateway
    {
        public static readonly OfflineGateway Instance = new();

        public bool IsOnline => false;

        public Task<StructuredCompletion<T>> CompleteJsonAsync<T>(ModelCall call, CancellationToken cancellationToken)
            where T : class =>
            Task.FromResult(new StructuredCompletion<T>(false, null, "backtests run offline", "offline-rules", null, 0m, true, TimeSpan.Zero));
    }
}
