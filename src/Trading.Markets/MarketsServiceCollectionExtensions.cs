using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Core.Markets;
using Trading.Markets.Alpaca;
using Trading.Markets.Simulation;

namespace Trading.Markets;

/// <summary>Which market and broker the host runs against; hosts print <see cref="Description"/> at start-up.</summary>
public sealed record MarketsMode(bool IsSimulated, string Description);

/// <summary>Registration of <see cref="IMarketData"/> and <see cref="IBroker"/>.</summary>
public static class MarketsServiceCollectionExtensions
{
    /// <summary>
    /// Registers Alpaca (paper unless <c>Alpaca:Environment</c> is <c>live</c>) when both API keys are present in the
    /// configuration or the environment, otherwise the SIMULATED market and broker. Settings are bound from the
    /// <c>Alpaca</c> and <c>Simulation</c> sections and validated here, so a bad value fails at start-up.
    /// The choice is logged once, when the market or broker is first resolved, and is available as <see cref="MarketsMode"/>.
    /// </summary>
    public static IServiceCollection AddTradingMarkets(this IServiceCollection services, IConfiguration configuration) =>
        services.AddTradingMarkets(configuration, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="AddTradingMarkets(IServiceCollection, IConfiguration)"/>, reading process variables through <paramref name="environment"/>.</summary>
    public static IServiceCollection AddTradingMarkets(this IServiceCollection services, IConfiguration configuration, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        var alpaca = new AlpacaSettings();
        configuration.GetSection(AlpacaSettings.SectionName).Bind(alpaca);
        alpaca.Validate();
        var simulation = new SimulationSettings();
        configuration.GetSection(SimulationSettings.SectionName).Bind(simulation);
        simulation.Validate();

        string? Lookup(string name) => configuration[name] is { Length: > 0 } value ? value : environment(name);
        var credentials = AlpacaCredentials.Resolve(Lookup);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(simulation); // backtests use the simulator even when a live-data broker is configured
        if (credentials is not null)
        {
            var tradingUrl = alpaca.ResolveTradingUrl(Lookup);
            var mode = new MarketsMode(false,
                $"Markets: Alpaca {(alpaca.IsLive ? "LIVE" : "paper")} trading at {tradingUrl}, data at {alpaca.ResolveDataUrl(Lookup)} (options feed {alpaca.OptionsFeed}).");
            services.AddSingleton(mode);
            services.AddSingleton(alpaca);
            services.AddAlpacaHttpClient(alpaca);
            services.AddSingleton(sp =>
            {
                Announce(sp, mode);
                return new AlpacaClient(AlpacaHttp.CreateClient(sp), alpaca, credentials, sp.GetRequiredService<TimeProvider>(), Logger<AlpacaClient>(sp), Lookup);
            });
            services.AddSingleton<IMarketData>(sp => sp.GetRequiredService<AlpacaClient>());
            services.AddSingleton<IBroker>(sp => sp.GetRequiredService<AlpacaClient>());
        }
        else
        {
            var mode = new MarketsMode(true,
                $"Markets: SIMULATED market and broker ({simulation}); no Alpaca keys found in {AlpacaCredentials.VariableNames}.");
            services.AddSingleton(mode);
            services.AddSingleton(sp =>
            {
                Announce(sp, mode);
                return new OptionChainModel(new PricePath(simulation), simulation);
            });
            services.AddSingleton(sp => new SimulatedMarket(sp.GetRequiredService<OptionChainModel>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton(sp => new SimulatedBroker(sp.GetRequiredService<OptionChainModel>(), simulation, sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IMarketData>(sp => sp.GetRequiredService<SimulatedMarket>());
            services.AddSingleton<IBroker>(sp => sp.GetRequiredService<SimulatedBroker>());
        }

        return services;
    }

    private static void Announce(IServiceProvider services, MarketsMode mode)
    {
        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("Trading.Markets");
        if (mode.IsSimulated)
        {
            logger.LogWarning("{MarketsMode}", mode.Description);
        }
        else
        {
            logger.LogInformation("{MarketsMode}", mode.Description);
        }
    }

    private static ILogger<T> Logger<T>(IServiceProvider services) =>
        services.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
