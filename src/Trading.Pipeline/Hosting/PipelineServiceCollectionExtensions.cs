using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Trading.Core.Condors;
using Trading.Core.Exits;
using Trading.Core.Memory;
using Trading.Core.Risk;
using Trading.Core.Strategy;
using Trading.Gateway;
using Trading.Lessons;
using Trading.Markets;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Activities.Entry;
using Trading.Pipeline.Activities.Manage;
using Trading.Pipeline.Council;
using Trading.Pipeline.Dashboard;
using Trading.Pipeline.Http;
using Trading.Pipeline.Scheduling;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Hosting;

/// <summary>Where the app's tables live. Section "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>A storage connection string (Azurite: UseDevelopmentStorage=true). Falls back to AzureWebJobsStorage.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table endpoint for identity-based access (DefaultAzureCredential), e.g. https://acct.table.core.windows.net.</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>Keep tables in memory (backtests and demos only; lost at exit).</summary>
    public bool InMemory { get; set; }
}

/// <summary>Every options class the pipeline binds, validated together.</summary>
public sealed record PipelineSettings(
    PipelineOptions Pipeline,
    CouncilOptions Council,
    ExecutionOptions Execution,
    PipelineTablesOptions Tables,
    ScheduleOptions Schedule,
    StorageOptions Storage,
    CondorSettings Condor,
    RiskLimits Risk,
    SamplerSettings Sampler,
    MemorySettings Memory,
    ExitRules Exit)
{
    /// <summary>Binds every section; throws one <see cref="TradingConfigurationException"/> listing every bad setting.</summary>
    public static PipelineSettings Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        T Section<T>(string name)
            where T : new()
        {
            var value = new T();
            try
            {
                configuration.GetSection(name).Bind(value);
            }
            catch (InvalidOperationException e)
            {
                // A value that does not convert (e.g. "abc" for a number): say which setting and what it must be, in the
                // user's words, not the binder's .NET type names.
                errors.Add(ConversionError(name, e));
            }

            return value;
        }

        var settings = new PipelineSettings(
            Section<PipelineOptions>(PipelineOptions.SectionName),
            Section<CouncilOptions>(CouncilOptions.SectionName),
            Section<ExecutionOptions>(ExecutionOptions.SectionName),
            Section<PipelineTablesOptions>(PipelineTablesOptions.SectionName),
            ScheduleOptions.Bind(configuration),
            Section<StorageOptions>(StorageOptions.SectionName),
            Section<CondorSettings>(CondorSettings.SectionName),
            Section<RiskLimits>(RiskLimits.SectionName),
            Section<SamplerSettings>(SamplerSettings.SectionName),
            Section<MemorySettings>(MemorySettings.SectionName),
            Section<ExitRules>(ExitRules.SectionName));
        errors.AddRange(settings.Pipeline.Validate());
        errors.AddRange(settings.Council.Validate());
        errors.AddRange(settings.Execution.Validate());
        errors.AddRange(settings.Tables.Validate());
        errors.AddRange(settings.Schedule.Validate());
        errors.AddRange(settings.Condor.Validate());
        errors.AddRange(settings.Risk.Validate());
        errors.AddRange(settings.Sampler.Validate());
        errors.AddRange(settings.Memory.Validate());
        errors.AddRange(settings.Exit.Validate());
        if (errors.Count == 0)
        {
            var narrowest = settings.Pipeline.VariantList.Select(v => v.WingWidthDollars).Append(settings.Condor.WingWidthDollars).Min();
            errors.AddRange(settings.Exit.ValidateStopReachable(settings.Condor.MinCreditDollars, narrowest));
        }

        if (errors.Count > 0)
        {
            throw new TradingConfigurationException(errors);
        }

        return settings;
    }

    /// <summary>
    /// Names in the known sections that no setting has (a misspelling like <c>Condor__ShortDelta</c> would otherwise be
    /// ignored silently), each with the nearest real name.
    /// </summary>
    public static IReadOnlyList<string> UnknownSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sections = new (string Name, Type Options)[]
        {
            (PipelineOptions.SectionName, typeof(PipelineOptions)), (CouncilOptions.SectionName, typeof(CouncilOptions)),
            (ExecutionOptions.SectionName, typeof(ExecutionOptions)), (PipelineTablesOptions.SectionName, typeof(PipelineTablesOptions)),
            (ScheduleOptions.SectionName, typeof(ScheduleOptions)), (CondorSettings.SectionName, typeof(CondorSettings)),
            (RiskLimits.SectionName, typeof(RiskLimits)), (SamplerSettings.SectionName, typeof(SamplerSettings)),
            (MemorySettings.SectionName, typeof(MemorySettings)), (ExitRules.SectionName, typeof(ExitRules)),
        };
        var unknown = new List<string>();
        foreach (var (name, type) in sections)
        {
            var known = type.GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToArray();
            foreach (var child in configuration.GetSection(name).GetChildren())
            {
                if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase)
                    && !(name == RiskLimits.SectionName && string.Equals(child.Key, "HaltTrading", StringComparison.OrdinalIgnoreCase)))
                {
                    var nearest = known.OrderBy(k => Nearness(child.Key, k)).First();
                    unknown.Add($"{name}:{child.Key} is not a setting (did you mean {name}:{nearest}?); it is ignored");
                }
            }
        }

        return unknown;
    }

    private static int Nearness(string a, string b)
    {
        // Shared characters in order (a longest common subsequence), as a negative so that more shared sorts first.
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                lengths[i, j] = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1])
                    ? lengths[i - 1, j - 1] + 1
                    : Math.Max(lengths[i - 1, j], lengths[i, j - 1]);
            }
        }

        return -lengths[a.Length, b.Length];
    }

    private static string ConversionError(string section, InvalidOperationException e)
    {
        var match = System.Text.RegularExpressions.Regex.Match(e.Message, @"value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'");
        if (!match.Success)
        {
            return $"{section}: {e.InnerException?.Message ?? e.Message}";
        }

        var kind = match.Groups["type"].Value switch
        {
            "System.Decimal" or "System.Double" or "System.Single" => "a number",
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.DateOnly" => "a date (yyyy-MM-dd)",
            "System.TimeSpan" => "a duration (hh:mm:ss)",
            var other => "a " + other.Split('.')[^1],
        };
        return $"{match.Groups["key"].Value} must be {kind}; was '{match.Groups["value"].Value}'";
    }
}

/// <summary>Start-up configuration errors, all of them at once.</summary>
public sealed class TradingConfigurationException : Exception
{
    public TradingConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid configuration (" + errors.Count + " problem(s)):" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", errors))
    {
        Errors = errors;
    }

    public TradingConfigurationException()
        : this([])
    {
    }

    public TradingConfigurationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public TradingConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; } = [];
}

/// <summary>Registers the whole trading system in a host.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Registers storage (a <see cref="TableServiceClient"/> from Storage:ConnectionString, AzureWebJobsStorage or
    /// Storage:TableServiceUri with DefaultAzureCredential, or in memory when Storage:InMemory is true), the gateway, the
    /// markets, the lessons library, and the pipeline: settings, tables, stores, activities, the calendar and the HTTP API
    /// handlers. The host adds its engine's <see cref="IRunLauncher"/> (the CLI: <c>AddTaskHubEngine</c>).
    /// Every setting is validated now; the first call fails with one exception listing every bad one.
    /// </summary>
    public static IServiceCollection AddTradingPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        PipelineSettings? settings = null;
        try
        {
            settings = PipelineSettings.Bind(configuration);
        }
        catch (TradingConfigurationException e)
        {
            errors.AddRange(e.Errors);
        }

        var storage = settings?.Storage ?? new StorageOptions();
        configuration.GetSection(StorageOptions.SectionName).Bind(storage);
        var storageError = StorageError(storage, configuration);
        if (storageError is not null)
        {
            errors.Add(storageError);
        }

        // The adapters validate their own sections as they register; collect their complaints into the same one error.
        void Adapter(Action register)
        {
            try
            {
                register();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException
                or Trading.Gateway.Configuration.GatewayConfigurationException or Trading.Core.Settings.SettingsValidationException)
            {
                errors.Add(e.Message);
            }
        }

        Adapter(() => services.AddTradingGateway(configuration));
        Adapter(() => services.AddTradingMarkets(configuration));
        Adapter(() => services.AddTradingLessons(configuration));
        if (errors.Count > 0 || settings is null)
        {
            throw new TradingConfigurationException(errors);
        }

        services.TryAddSingleton(TimeProvider.System);

        // A host that registered its own PipelineTables (the backtest: in memory) keeps them, and then gets no table service, so
        // the gateway's ledger and call records and the lessons' drafts are in memory too.
        var hostTables = services.Any(d => d.ServiceType == typeof(PipelineTables));
        var inMemory = hostTables || IsInMemory(storage, configuration);
        if (!inMemory)
        {
            services.TryAddSingleton(_ => CreateTableService(storage, configuration));
        }

        services.AddSingleton(settings);
        services.AddSingleton(settings.Pipeline);
        services.AddSingleton(settings.Council);
        services.AddSingleton(settings.Execution);
        services.AddSingleton(settings.Tables);
        services.AddSingleton(settings.Schedule);
        services.AddSingleton(settings.Condor);
        services.AddSingleton(settings.Risk);
        services.AddSingleton(settings.Sampler);
        services.AddSingleton(settings.Memory);
        services.AddSingleton(settings.Exit);
        services.TryAddSingleton(sp =>
        {
            if (!inMemory)
            {
                return new PipelineTables(sp.GetRequiredService<TableServiceClient>(), settings.Tables);
            }

            sp.GetService<ILoggerFactory>()?.CreateLogger("Trading.Storage")
                .LogWarning("Storage: tables are kept IN MEMORY (Storage:InMemory=true); everything is lost at exit.");
            return PipelineTables.InMemory(settings.Tables, sp.GetRequiredService<TimeProvider>());
        });
        var haltedBySetting = bool.TryParse(configuration[HaltSwitch.HaltSetting], out var halted) && halted;
        services.AddSingleton(sp => new HaltSwitch(sp.GetRequiredService<PipelineTables>(), sp.GetRequiredService<TimeProvider>(), haltedBySetting));
        services.AddSingleton(sp => new RunJournalStore(sp.GetRequiredService<PipelineTables>()));
        services.AddSingleton(sp => new PositionBook(sp.GetRequiredService<PipelineTables>()));
        if (services.Any(d => d.ServiceType == typeof(Trading.Markets.Simulation.SimulatedBroker)))
        {
            // The simulated account lives in the tables too, so it agrees with the position book across processes.
            services.AddSingleton(sp => new StoredSimulatedBroker(
                sp.GetRequiredService<Trading.Markets.Simulation.SimulatedBroker>(), sp.GetRequiredService<PipelineTables>(), sp.GetService<ILogger<StoredSimulatedBroker>>()));
            services.Replace(ServiceDescriptor.Singleton<Trading.Core.Markets.IBroker>(sp => sp.GetRequiredService<StoredSimulatedBroker>()));
        }

        services.AddSingleton(sp => new TradeMemoryStore(sp.GetRequiredService<PipelineTables>(), settings.Sampler));
        services.AddSingleton(new EntryRiskCheck(settings.Risk, settings.Exit));
        services.AddSingleton(new TradingCalendar(settings.Schedule));
        services.AddSingleton(sp => new VolatilityHistoryStore(sp.GetRequiredService<PipelineTables>()));
        services.AddSingleton(sp => new PeakEquityStore(sp.GetRequiredService<PipelineTables>()));
        AddActivity<MarketSnapshotActivity>(services);
        AddActivity<AnalyzeMarketActivity>(services);
        AddActivity<SelectStrategyActivity>(services);
        AddActivity<RecallTradeMemoryActivity>(services);
        AddActivity<RetrieveLessonsActivity>(services);
        AddActivity<AssessRiskActivity>(services);
        AddActivity<ConveneCouncilActivity>(services);
        AddActivity<DecideExecutionActivity>(services);
        AddActivity<PlaceOrderActivity>(services);
        AddActivity<RecordRunActivity>(services);
        AddActivity<LoadOpenPositionsActivity>(services);
        AddActivity<EvaluateExitActivity>(services);
        AddActivity<ClosePositionActivity>(services);
        AddActivity<RecordOutcomeActivity>(services);
        services.AddSingleton<ActivityCatalog>();
        services.AddSingleton(sp => new ScheduledRuns(
            sp.GetRequiredService<TradingCalendar>(),
            sp.GetRequiredService<Trading.Core.Markets.IMarketData>(),
            sp.GetRequiredService<HaltSwitch>(),
            sp.GetService<ILogger<ScheduledRuns>>()));
        services.AddSingleton<TradingApi>();
        services.AddTradingDashboard();
        return services;
    }

    /// <summary>An activity, constructor-injected, and the same instance in the catalog.</summary>
    private static void AddActivity<T>(IServiceCollection services)
        where T : PipelineActivity
    {
        services.AddSingleton<T>();
        services.AddSingleton<PipelineActivity>(sp => sp.GetRequiredService<T>());
    }

    private static string? StorageError(StorageOptions storage, IConfiguration configuration)
    {
        if (storage.InMemory || !string.IsNullOrWhiteSpace(storage.ConnectionString) || !string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(storage.TableServiceUri))
        {
            return "Storage: no table storage configured; set Storage:ConnectionString (or AzureWebJobsStorage), Storage:TableServiceUri "
                + "(identity-based), or Storage:InMemory=true for a throw-away run.";
        }

        return Uri.TryCreate(storage.TableServiceUri, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? null
            : $"Storage:TableServiceUri must be an absolute https URL; got '{storage.TableServiceUri}'.";
    }

    /// <summary>No table storage is configured and Storage:InMemory is true (validated by <see cref="StorageError"/>).</summary>
    private static bool IsInMemory(StorageOptions storage, IConfiguration configuration) =>
        storage.InMemory
        && string.IsNullOrWhiteSpace(storage.ConnectionString)
        && string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"])
        && string.IsNullOrWhiteSpace(storage.TableServiceUri);

    private static TableServiceClient CreateTableService(StorageOptions storage, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(storage.ConnectionString))
        {
            return new TableServiceClient(storage.ConnectionString);
        }

        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } hostStorage)
        {
            return new TableServiceClient(hostStorage);
        }

        return new TableServiceClient(new Uri(storage.TableServiceUri!), new DefaultAzureCredential());
    }
}
