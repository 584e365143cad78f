using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenAI;
using Trading.Core.Knowledge;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Calls;
using Trading.Gateway.Configuration;
using Trading.Gateway.Embeddings;
using Trading.Gateway.Telemetry;

namespace Trading.Gateway;

/// <summary>Registers the gateway in a host.</summary>
public static class GatewayServiceCollectionExtensions
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>
    /// Registers <see cref="IModelGateway"/> (<see cref="TarsGateway"/>), <see cref="ITextEmbedder"/> (<see cref="GatewayEmbedder"/>,
    /// only when online), <see cref="BudgetLedger"/>, <see cref="GatewayTelemetry"/>, <see cref="GatewayTelemetryReader"/>,
    /// the model registry and selector, and the one <see cref="OpenAIClient"/>. Settings are read and validated now, so a bad
    /// setting (or <c>REQUIRE_LLM_GATEWAY=true</c> without a key) fails start-up with a message naming it.
    /// Budgets and call records go to Table Storage when a <see cref="TableServiceClient"/> is registered (in any order),
    /// otherwise to memory (with a warning). A host that registered its own <see cref="BudgetLedger"/> or
    /// <see cref="CallRecordStore"/> first keeps it.
    /// </summary>
    public static IServiceCollection AddTradingGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = GatewaySettings.FromConfiguration(configuration);
        var budget = configuration.GetSection(BudgetOptions.SectionName).Get<BudgetOptions>() ?? new BudgetOptions();
        var routing = configuration.GetSection(RoutingOptions.SectionName).Get<RoutingOptions>() ?? new RoutingOptions();
        var errors = budget.Validate().Concat(routing.Validate()).ToList();
        if (budget.ReservationTimeoutMinutes * 60 <= routing.CallDeadlineSeconds)
        {
            // A reservation must outlive the longest call, or a slow live call would stop counting against the budget.
            errors.Add($"{BudgetOptions.SectionName}:{nameof(BudgetOptions.ReservationTimeoutMinutes)} must exceed {RoutingOptions.SectionName}:{nameof(RoutingOptions.CallDeadlineSeconds)}");
        }

        if (errors.Count > 0)
            throw new GatewayConfigurationException("Invalid gateway settings: " + string.Join("; ", errors));
        var registry = LoadRegistry(routing, configuration);
        var selector = new ModelSelector(registry, routing.ToPolicy(budget.OnExhausted));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(budget);
        services.AddSingleton(routing);
        services.AddSingleton(registry);
        services.AddSingleton(selector);
        services.TryAddSingleton<BudgetLedger>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            if (sp.GetService<TableServiceClient>() is { } tables)
                return new TableBudgetLedger(tables, budget, time, sp.GetRequiredService<ILogger<TableBudgetLedger>>());
            sp.GetRequiredService<ILogger<InMemoryBudgetLedger>>().LogWarning(
                "No TableServiceClient registered: LLM budgets are kept in memory and reset on restart.");
            return new InMemoryBudgetLedger(budget, time, sp.GetRequiredService<ILogger<InMemoryBudgetLedger>>());
        });
        services.TryAddSingleton<CallRecordStore>(sp =>
            sp.GetService<TableServiceClient>() is { } tables
                ? new TableCallRecordStore(tables, routing.TelemetryTableName)
                : new InMemoryCallRecordStore());
        services.AddSingleton(sp => new GatewayTelemetry(sp.GetRequiredService<CallRecordStore>(), sp.GetRequiredService<ILogger<GatewayTelemetry>>()));
        services.AddSingleton<GatewayTelemetryReader>();
        services.AddSingleton(sp => new ModelResilience(routing, sp.GetRequiredService<TimeProvider>()));
        if (settings.IsOnline)
            services.AddSingleton(_ => GatewayClientFactory.Create(settings)!);
        services.AddSingleton(sp => new TarsGateway(
            settings,
            sp.GetService<OpenAIClient>(),
            selector,
            sp.GetRequiredService<BudgetLedger>(),
            sp.GetRequiredService<GatewayTelemetry>(),
            routing,
            sp.GetRequiredService<ModelResilience>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TarsGateway>>()));
        services.AddSingleton<IModelGateway>(sp => sp.GetRequiredService<TarsGateway>());
        if (settings.IsOnline)
        {
            services.AddSingleton(sp => new Catalog.GatewayModelCatalog(sp.GetRequiredService<OpenAIClient>(), registry, selector.Policy));
            services.AddSingleton<GatewayEmbedder>(sp => new GatewayEmbedder(
                sp.GetRequiredService<OpenAIClient>(), registry, sp.GetRequiredService<BudgetLedger>(), sp.GetRequiredService<GatewayTelemetry>(),
                routing, sp.GetRequiredService<ModelResilience>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GatewayEmbedder>>()));
            services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<GatewayEmbedder>());
        }

        return services;
    }

    /// <summary>
    /// The registry named by <see cref="RoutingOptions.RegistryFile"/> with "Models" overrides. When the default file name is
    /// absent next to the binaries, the built-in defaults (plus overrides) are used; a configured file that is absent is an error.
    /// </summary>
    public static ModelRegistry LoadRegistry(RoutingOptions routing, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(routing);
        var isDefaultName = routing.RegistryFile == new RoutingOptions().RegistryFile;
        var path = Path.IsPathRooted(routing.RegistryFile) ? routing.RegistryFile : Path.Combine(AppContext.BaseDirectory, routing.RegistryFile);
        if (isDefaultName && !File.Exists(path))
        {
            var json = System.Text.Json.JsonSerializer.Serialize(new { models = ModelRegistry.DefaultModels() }, WebJson);
            return ModelRegistryFile.Parse(json, "built-in defaults", configuration);
        }

        return ModelRegistryFile.Load(routing.RegistryFile, configuration);
    }
}
