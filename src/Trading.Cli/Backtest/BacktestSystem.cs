using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Cli.Clocks;
using Trading.Cli.Commands;
using Trading.Cli.Configuration;
using Trading.Core.Markets;
using Trading.Core.ModelCalls;
using Trading.Gateway.Configuration;
using Trading.Hosting.Scheduling;
using Trading.Markets;
using Trading.Markets.Simulation;
using Trading.Pipeline.Activities;
using Trading.Pipeline.State;

namespace Trading.Cli.Backtest;

/// <summary>
/// The trading system composed for a backtest: the pipeline's own registration (<c>AddTradingPipeline</c>), with every
/// table in memory, the simulation clock, and — whatever keys are configured — the simulated market and
/// broker and no model calls (the offline rules decide; costs are estimated).
/// </summary>
internal sealed class BacktestSystem : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BacktestSystem(ServiceProvider services, SimulationSettings simulation)
    {
        _services = services;
        Activities = services.GetRequiredService<ActivityCatalog>();
        Market = services.GetRequiredService<IMarketData>();
        Broker = services.GetRequiredService<IBroker>();
        Calendar = services.GetRequiredService<TradingCalendar>();
        Memory = services.GetRequiredService<TradeMemoryStore>();
        Positions = services.GetRequiredService<PositionBook>();
        Budget = services.GetRequiredService<BudgetOptions>();
        var pipeline = services.GetRequiredService<PipelineOptions>();
        Strategy = pipeline.Strategy;
        Variants = pipeline.VariantList.Select(v => v.Id).ToArray();
        StartingEquityUsd = simulation.StartingEquityDollars;
        Simulation = simulation;
    }

    /// <summary>The activities by name (the backtest calls them directly).</summary>
    public ActivityCatalog Activities { get; }

    public IMarketData Market { get; }

    public IBroker Broker { get; }

    public TradingCalendar Calendar { get; }

    public TradeMemoryStore Memory { get; }

    public PositionBook Positions { get; }

    public BudgetOptions Budget { get; }

    public string Strategy { get; }

    public IReadOnlyList<string> Variants { get; }

    public decimal StartingEquityUsd { get; }

    /// <summary>The simulation's settings (fill model, fees).</summary>
    public SimulationSettings Simulation { get; }

    /// <summary>Composes the system; invalid settings become one <see cref="CliUsageException"/> listing every bad one.</summary>
    public static BacktestSystem Create(IConfiguration configuration, BacktestArguments arguments, SimulationClock clock)
    {
        var simulation = configuration.GetSection(SimulationSettings.SectionName).Get<SimulationSettings>() ?? new SimulationSettings();
        simulation.Seed = arguments.Seed;
        simulation.Fills = arguments.Fills;
        if (arguments.From < simulation.PathStartDate.AddDays(45))
        {
            // The snapshot needs about a year of history (volatility rank); start the simulated path well before the range.
            simulation.PathStartDate = arguments.From.AddDays(-400);
        }

        try
        {
            simulation.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CliUsageException(e.Message, e);
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:InMemory"] = "true",
            ["Simulation:Seed"] = simulation.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulation:PathStartDate"] = simulation.PathStartDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Simulation:Fills"] = simulation.Fills,
        };
        if (arguments.Variants.Count > 0)
        {
            settings["Pipeline:Variants"] = string.Join(',', arguments.Variants);
        }

        var backtestConfiguration = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(settings).Build();
        var services = CliServices.Build(
            backtestConfiguration,
            clock,
            before: s =>
            {
                // Everything in memory: the pipeline's tables, and (with no table service registered) the ledger, call records and drafts.
                s.AddSingleton(PipelineTables.InMemory(new PipelineTablesOptions(), clock));
            },
            after: s =>
            {
                var model = new OptionChainModel(new PricePath(simulation), simulation);
                var market = new SimulatedMarket(model, clock);
                var broker = new SimulatedBroker(model, simulation, clock);
                s.AddSingleton(new MarketsMode(true, $"Markets: SIMULATED for the backtest ({simulation})."));
                s.AddSingleton<IMarketData>(market);
                s.AddSingleton<IBroker>(broker);
                s.AddSingleton<IModelGateway>(OfflineGateway.Instance);

                // No embeddings either: lessons are searched lexically. (An embedder that cannot reach the gateway makes the
                // library retry its build every few simulated minutes, which was most of a backtest's time.)
                s.RemoveAll<Trading.Core.Knowledge.ITextEmbedder>();
            });
        return new BacktestSystem(services, simulation);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>A backtest never calls models: every decision comes from the offline rules, and costs are estimated.</summary>
    private sealed class OfflineGateway : IModelGateway
    {
        public static readonly OfflineGateway Instance = new();

        public bool IsOnline => false;

        public string PlannedModel(string taskType) => string.Empty;

        public Task<StructuredCompletion<T>> CompleteJsonAsync<T>(ModelCall call, CancellationToken cancellationToken)
            where T : class =>
            Task.FromResult(new StructuredCompletion<T>(false, null, "backtests run offline", "offline-rules", null, 0m, true, TimeSpan.Zero));
    }
}
