using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trading.Core.Markets;
using Trading.Markets.Alpaca;
using Trading.Markets.Simulation;

namespace Trading.Markets.Tests;

public sealed class AlpacaSettingsTests
{
    [Fact]
    public void Alpaca_settings_default_to_paper_and_urls_follow_the_environment_first()
    {
        var settings = new AlpacaSettings();
        Assert.False(settings.IsLive);
        Assert.Equal(new Uri("https://paper-api.alpaca.markets/"), settings.ResolveTradingUrl(_ => null));
        Assert.Equal(new Uri("https://data.alpaca.markets/"), settings.ResolveDataUrl(_ => null));
        Assert.Equal(new Uri("https://api.alpaca.markets/"), new AlpacaSettings { Environment = "live" }.ResolveTradingUrl(_ => null));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), new AlpacaSettings { TradingUrl = "https://proxy.example/" }
            .ResolveTradingUrl(n => n == "ALPACA_TRADING_URL" ? "http://127.0.0.1:5000" : null));
        Assert.Equal("indicative", settings.OptionsFeed);
        Assert.True(settings.MaxRequestsPerMinute < 200);
    }

    [Fact]
    public void Bad_settings_are_named_with_the_rule_they_broke()
    {
        var ex = Assert.Throws<ArgumentException>(() => new AlpacaSettings { Environment = "prod", MaxRequestsPerMinute = 250, TradingUrl = "not a url" }.Validate());
        Assert.Contains("Alpaca:Environment must be 'paper' or 'live'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Alpaca:MaxRequestsPerMinute must be between 1 and 199", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Alpaca:TradingUrl", ex.Message, StringComparison.Ordinal);

        var sim = Assert.Throws<ArgumentException>(() => new SimulationSettings { InitialSpotDollars = 0, OptionsTradingLevel = 5 }.Validate());
        Assert.Contains("Simulation:InitialSpotDollars must be positive", sim.Message, StringComparison.Ordinal);
        Assert.Contains("Simulation:OptionsTradingLevel", sim.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_come_from_either_variable_pair_and_never_print()
    {
        var primary = AlpacaCredentials.Resolve(n => n switch { "ALPACA_API_KEY_ID" => "id1", "ALPACA_API_SECRET_KEY" => "s1", _ => null });
        var alternate = AlpacaCredentials.Resolve(n => n switch { "APCA_API_KEY_ID" => "id2", "APCA_API_SECRET_KEY" => "s2", _ => null });
        var half = AlpacaCredentials.Resolve(n => n == "ALPACA_API_KEY_ID" ? "id3" : null);

        Assert.Equal("id1", primary!.KeyId);
        Assert.Equal("s2", alternate!.SecretKey);
        Assert.Null(half);
        Assert.DoesNotContain("s1", primary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_keys_the_simulated_market_and_broker_are_registered_and_labelled()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Simulation:Seed"] = "5" }).Build();
        using var provider = new ServiceCollection().AddTradingMarkets(configuration, _ => null).BuildServiceProvider();

        Assert.True(provider.GetRequiredService<IMarketData>().IsSimulated);
        Assert.True(provider.GetRequiredService<IBroker>().IsSimulated);
        Assert.Contains("SIMULATED", provider.GetRequiredService<MarketsMode>().Description, StringComparison.Ordinal);
        Assert.Equal(5, provider.GetRequiredService<SimulationSettings>().Seed);
        Assert.Same(provider.GetRequiredService<SimulatedMarket>().Model, provider.GetRequiredService<OptionChainModel>());
    }

    [Fact]
    public void With_keys_alpaca_paper_is_registered_without_echoing_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ALPACA_API_KEY_ID"] = "PKFAKE123",
            ["ALPACA_API_SECRET_KEY"] = "super-secret-value",
            ["Alpaca:TradingUrl"] = "http://127.0.0.1:9/",
        }).Build();

        using var provider = new ServiceCollection().AddTradingMarkets(configuration, _ => null).BuildServiceProvider();

        var market = provider.GetRequiredService<IMarketData>();
        Assert.False(market.IsSimulated);
        Assert.IsType<AlpacaClient>(market);
        Assert.Same(market, provider.GetRequiredService<IBroker>());
        var mode = provider.GetRequiredService<MarketsMode>().Description;
        Assert.Contains("paper", mode, StringComparison.Ordinal);
        Assert.DoesNotContain("super-secret-value", mode, StringComparison.Ordinal);
        Assert.DoesNotContain("PKFAKE123", mode, StringComparison.Ordinal);
    }
}
