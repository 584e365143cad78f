using Microsoft.Extensions.DependencyInjection;
using Trading.Core.Exits;
using Trading.Core.Markets;
using Trading.Core.Memory;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Telemetry;
using Trading.Pipeline.Activities;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Dashboard;

/// <summary>Registers the dashboard's panel queries and <see cref="DashboardApi"/> over the stores already registered.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the six panel queries and the API (called by <c>AddTradingPipeline</c>).</summary>
    public static IServiceCollection AddTradingDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new AccountQuery(
            sp.GetRequiredService<IBroker>(), sp.GetRequiredService<PositionBook>(), sp.GetRequiredService<HaltSwitch>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PositionsQuery(
            sp.GetRequiredService<PositionBook>(), sp.GetRequiredService<IBroker>(), sp.GetRequiredService<IMarketData>(),
            sp.GetRequiredService<ExitRules>(), sp.GetRequiredService<PipelineOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RunsQuery(sp.GetRequiredService<RunJournalStore>()));
        services.AddSingleton(sp => new LlmSpendQuery(
            sp.GetRequiredService<BudgetLedger>(), sp.GetRequiredService<CallRecordStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ModelComparisonQuery(
            sp.GetRequiredService<CallRecordStore>(), sp.GetRequiredService<RunJournalStore>(), sp.GetService<ModelSelector>()?.Policy,
            sp.GetRequiredService<BudgetLedger>().TimeZone, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StrategyQuery(
            sp.GetRequiredService<TradeMemoryStore>(), sp.GetRequiredService<PipelineOptions>(), sp.GetRequiredService<MemorySettings>()));
        services.AddSingleton<DashboardApi>();
        return services;
    }
}
