using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Trading.Core.Markets;
using Trading.Hosting;
using Trading.Pipeline.State;
using Trading.TestKit.Storage;

namespace TradingFunctions.Tests.Support;

/// <summary>
/// The Functions app's service graph as Program.cs builds it (<see cref="TradingFunctionsApp.AddTradingFunctions"/>), with
/// settings for a test: Azurite tables under a unique prefix, the simulated market and broker (the broker seen through a
/// <see cref="BrokerTap"/>), the gateway offline, a throw-away lessons corpus and a clock the test sets. Two workers built
/// from one <see cref="TestApp"/> share its tables, broker record and clock, like two processes of one app.
/// </summary>
public sealed class TestApp : IDisposable
{
    /// <summary>Monday 2026-11-23 15:00 UTC = 10:00 New York: inside the entry window, market open.</summary>
    public static readonly DateTimeOffset MondayTenAm = new(2026, 11, 23, 15, 0, 0, TimeSpan.Zero);

    private readonly string _lessons;

    public TestApp(IReadOnlyDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        Time = new ManualTime(now ?? MondayTenAm);
        Prefix = "f" + Guid.NewGuid().ToString("N")[..10];
        _lessons = Path.Combine(Path.GetTempPath(), "functions-lessons-" + Prefix);
        Directory.CreateDirectory(_lessons);
        File.WriteAllText(Path.Combine(_lessons, "L-900-wide-spreads.md"), """
            ---
            id: L-900
            title: Skip condors whose legs have wide spreads
            date: 2026-02-01
            severity: HIGH
            status: resolved
            tags: [iron-condor, spy]
            strategy: iron_condor
            ticker: SPY
            ---

            # Skip condors whose legs have wide spreads

            ## What happened
            An iron condor on SPY filled far from its mid.

            ## Root cause
            The spread check was missing.

            ## Fix
            Check the spread before placing the order.

            ## Prevention
            Keep a test that fails when the spread is not checked.
            """);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = TestStorage.ConnectionString,
            ["PipelineTables:TablePrefix"] = Prefix,
            ["Pipeline:Variants"] = "d20-w5",
            ["Budget:TableName"] = Prefix + "budget",
            ["Routing:TelemetryTableName"] = Prefix + "calls",
            ["Lessons:CorpusPath"] = _lessons,
            ["Lessons:EmbeddingCacheTableName"] = Prefix + "emb",
            ["Lessons:DraftTableName"] = Prefix + "drafts",
        };
        foreach (var (key, value) in Trading.TestKit.Pipeline.TestDaySettings.NotTheSubject)
        {
            values[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        Settings = values;
    }

    public ManualTime Time { get; }

    /// <summary>The table prefix every worker of this app uses.</summary>
    public string Prefix { get; }

    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Everything that reached the broker, across workers.</summary>
    public BrokerCalls Broker { get; } = new();

    /// <summary>
    /// Registers the app exactly as Program.cs does, then the test's clock and broker tap. The configuration is the one
    /// every host builds (<see cref="TradingConfiguration.Build"/>), from this app's settings and no environment variables.
    /// </summary>
    public void Register(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddTradingFunctions(TradingConfiguration.Build(overrides: Settings, includeEnvironment: false));
        services.Replace(ServiceDescriptor.Singleton<IBroker>(sp => new BrokerTap(sp.GetRequiredService<StoredSimulatedBroker>(), Broker)));
    }

    /// <summary>A provider over <see cref="Register"/> with scope and build-time validation on.</summary>
    public ServiceProvider BuildValidatedProvider()
    {
        var services = new ServiceCollection();
        Register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_lessons, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
