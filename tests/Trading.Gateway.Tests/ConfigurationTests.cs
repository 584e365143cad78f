using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Trading.Core.Knowledge;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Calls;
using Trading.Gateway.Configuration;
using Trading.Gateway.Tests.Support;

namespace Trading.Gateway.Tests;

public sealed class ConfigurationTests
{
    private const string Secret = "sk-live-VERY-SECRET-KEY-42";

    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Base_url_precedence_is_LLM_GATEWAY_then_TARS_then_default()
    {
        Assert.Equal(GatewaySettings.DefaultBaseUrl, GatewaySettings.FromConfiguration(Config()).BaseUrl);
        Assert.Equal(new Uri("https://tars.example/v1"), GatewaySettings.FromConfiguration(Config(("TARS_API_BASE", "https://tars.example/v1"))).BaseUrl);
        var both = GatewaySettings.FromConfiguration(Config(("TARS_API_BASE", "https://tars.example/v1"), ("LLM_GATEWAY_BASE_URL", "https://gw.example/v1")));
        Assert.Equal(new Uri("https://gw.example/v1"), both.BaseUrl);
        Assert.Equal("LLM_GATEWAY_BASE_URL", both.BaseUrlSource);
    }

    [Fact]
    public void Key_precedence_is_LLM_GATEWAY_then_TETRATE_then_TARS()
    {
        Assert.Equal("TARS_API_KEY", GatewaySettings.FromConfiguration(Config(("TARS_API_KEY", "c"))).ApiKeySource);
        Assert.Equal("TETRATE_API_KEY", GatewaySettings.FromConfiguration(Config(("TARS_API_KEY", "c"), ("TETRATE_API_KEY", "b"))).ApiKeySource);
        var all = GatewaySettings.FromConfiguration(Config(("TARS_API_KEY", "c"), ("TETRATE_API_KEY", "b"), ("LLM_GATEWAY_API_KEY", "a")));
        Assert.Equal("LLM_GATEWAY_API_KEY", all.ApiKeySource);
        Assert.Equal("a", ReadKey(all));
    }

    private static string ReadKey(GatewaySettings s)
    {
        s.CreateCredential().Deconstruct(out var key);
        return key;
    }

    [Fact]
    public void Environment_variables_are_read()
    {
        Environment.SetEnvironmentVariable("TETRATE_API_KEY", "from-env-" + Guid.NewGuid().ToString("N"));
        try
        {
            var s = GatewaySettings.FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());
            Assert.True(s.IsOnline);
            Assert.Equal("TETRATE_API_KEY", s.ApiKeySource);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TETRATE_API_KEY", null);
        }
    }

    [Fact]
    public void No_key_means_offline_and_REQUIRE_makes_it_a_start_up_error()
    {
        Assert.False(GatewaySettings.FromConfiguration(Config()).IsOnline);
        var e = Assert.Throws<GatewayConfigurationException>(() => GatewaySettings.FromConfiguration(Config(("REQUIRE_LLM_GATEWAY", "true"))));
        Assert.Contains("REQUIRE_LLM_GATEWAY=true", e.Message, StringComparison.Ordinal);
        Assert.Contains("TETRATE_API_KEY", e.Message, StringComparison.Ordinal);
        Assert.Throws<GatewayConfigurationException>(() => new ServiceCollection().AddTradingGateway(Config(("REQUIRE_LLM_GATEWAY", "true"))));
        Assert.Throws<GatewayConfigurationException>(() => GatewaySettings.FromConfiguration(Config(("REQUIRE_LLM_GATEWAY", "yes please"))));
        var timeout = Assert.Throws<GatewayConfigurationException>(() => new ServiceCollection().AddTradingGateway(
            Config(("Budget:ReservationTimeoutMinutes", "1"), ("Routing:CallDeadlineSeconds", "120"))));
        Assert.Contains("Budget:ReservationTimeoutMinutes must exceed Routing:CallDeadlineSeconds", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_url_is_named()
    {
        var e = Assert.Throws<GatewayConfigurationException>(() => GatewaySettings.FromConfiguration(Config(("LLM_GATEWAY_BASE_URL", "ftp:/nope"))));
        Assert.Contains("LLM_GATEWAY_BASE_URL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_never_appears_in_ToString_Describe_or_redacted_text()
    {
        var s = GatewaySettings.FromConfiguration(Config(("LLM_GATEWAY_API_KEY", Secret)));
        Assert.DoesNotContain(Secret, s.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join(",", s.Describe()), StringComparison.Ordinal);
        Assert.Contains("ApiKey=[set]", s.ToString(), StringComparison.Ordinal);
        Assert.Equal("token [redacted] leaked", s.Redact($"token {Secret} leaked"));
    }

    [Fact]
    public async Task The_key_never_appears_in_start_up_logs_or_DI_dumps()
    {
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection().AddSingleton(logs.CreateFactory()).AddLogging();
        services.AddSingleton<ILoggerFactory>(_ => logs.CreateFactory());
        var config = Config(("LLM_GATEWAY_API_KEY", Secret), ("LLM_GATEWAY_BASE_URL", "http://127.0.0.1:9/v1"));
        services.AddTradingGateway(config);
        await using var provider = services.BuildServiceProvider();

        var gateway = provider.GetRequiredService<IModelGateway>();
        var r = await gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None); // nothing listens on port 9

        Assert.True(gateway.IsOnline);
        Assert.False(r.Succeeded);
        Assert.NotEmpty(logs.Lines());
        Assert.DoesNotContain(Secret, logs.All(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, r.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, provider.GetRequiredService<GatewaySettings>().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_registration_announces_once_and_returns_failures()
    {
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(_ => logs.CreateFactory());
        services.AddLogging();
        services.AddTradingGateway(Config());
        await using var provider = services.BuildServiceProvider();

        var gateway = provider.GetRequiredService<IModelGateway>();
        var first = await gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);
        await gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(), CancellationToken.None);

        Assert.False(gateway.IsOnline);
        Assert.False(first.Succeeded);
        Assert.Contains("offline", first.FailureReason, StringComparison.Ordinal);
        Assert.Null(provider.GetService<ITextEmbedder>());
        Assert.Single(logs.Lines(), l => l.Contains("LLM gateway OFFLINE", StringComparison.Ordinal));
    }

    [Fact]
    public void Budget_and_routing_sections_bind_and_validate_naming_each_setting()
    {
        var config = Config(
            ("Budget:DailyLimitUsd", "1.5"), ("Budget:TimeZone", "Europe/London"), ("Budget:OnExhausted", "Refuse"),
            ("Routing:ForcedModel", "deepseek-v3"), ("Routing:Splits:options_analysis:Variants", "kimi-k2=90;deepseek-r1=10"),
            ("Routing:Splits:options_analysis:Shadow", "deepseek-v3"));
        var budget = config.GetSection(BudgetOptions.SectionName).Get<BudgetOptions>()!;
        var routing = config.GetSection(RoutingOptions.SectionName).Get<RoutingOptions>()!;
        Assert.Equal(1.5m, budget.DailyLimitUsd);
        Assert.Equal(25m, budget.MonthlyLimitUsd);
        Assert.Equal(BudgetExhaustedAction.Refuse, budget.OnExhausted);
        var policy = routing.ToPolicy(budget.OnExhausted);
        Assert.Equal("deepseek-v3", policy.ForcedModel);
        Assert.Equal(2, policy.Splits["options_analysis"].Variants.Count);

        var bad = new BudgetOptions { DailyLimitUsd = -1, TimeZone = "Mars/Olympus", ReservationTimeoutMinutes = 0 }.Validate();
        Assert.Contains(bad, m => m.Contains("Budget:DailyLimitUsd", StringComparison.Ordinal));
        Assert.Contains(bad, m => m.Contains("Budget:TimeZone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(bad, m => m.Contains("Budget:ReservationTimeoutMinutes", StringComparison.Ordinal));
        var badRouting = new RoutingOptions { MaxTotalAttempts = 0, Splits = { ["x"] = new SplitOptions { Variants = "kimi-k2=ten" } } }.Validate();
        Assert.Contains(badRouting, m => m.Contains("Routing:MaxTotalAttempts", StringComparison.Ordinal));
        Assert.Contains(badRouting, m => m.Contains("'kimi-k2=ten'", StringComparison.Ordinal));
    }

    [Fact]
    public void Registry_file_ships_with_the_defaults_and_environment_overrides_apply()
    {
        var shipped = ModelRegistryFile.Load("models.json", null);
        Assert.Equal(ModelRegistry.Default.Models.Select(m => m.LogicalName), shipped.Models.Select(m => m.LogicalName));
        Assert.Equal(ModelRegistry.Default.Get(ModelRegistry.KimiK2), shipped.Get(ModelRegistry.KimiK2));

        var overridden = ModelRegistryFile.Load("models.json", Config(
            ("Models:kimi-k2:GatewayModelId", "groq/moonshotai/kimi-k2"), ("Models:kimi-k2:OutputPerMillionUsd", "3.00"),
            ("Models:kimi-k2:EffectiveDate", "2026-06-01"),
            ("Models:gpt-4o-mini:GatewayModelId", "openai/gpt-4o-mini"), ("Models:gpt-4o-mini:Provider", "openai"),
            ("Models:gpt-4o-mini:ContextWindowTokens", "128000"), ("Models:gpt-4o-mini:InputPerMillionUsd", "0.15"),
            ("Models:gpt-4o-mini:CachedInputPerMillionUsd", "0.075"), ("Models:gpt-4o-mini:OutputPerMillionUsd", "0.60")));
        Assert.Equal("groq/moonshotai/kimi-k2", overridden.Get("kimi-k2").GatewayModelId);
        Assert.Equal(3.00m, overridden.Get("kimi-k2").Price.OutputPerMillionUsd);
        Assert.Equal(new DateOnly(2026, 6, 1), overridden.Get("kimi-k2").Price.EffectiveDate);
        Assert.Equal(0.075m, overridden.Get("gpt-4o-mini").Price.CachedInputPerMillionUsd);

        var e = Assert.Throws<GatewayConfigurationException>(() => ModelRegistryFile.Load("models.json", Config(("Models:kimi-k2:ContextWindowTokens", "lots"))));
        Assert.Contains("Models:kimi-k2:ContextWindowTokens", e.Message, StringComparison.Ordinal);
        Assert.Throws<GatewayConfigurationException>(() => ModelRegistryFile.Load("missing.json", null));
    }

    [Fact]
    public void Online_registration_provides_the_embedder_and_one_client()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTradingGateway(Config(("TARS_API_KEY", Secret)));
        using var provider = services.BuildServiceProvider();

        Assert.IsType<Embeddings.GatewayEmbedder>(provider.GetRequiredService<ITextEmbedder>());
        Assert.Same(provider.GetRequiredService<OpenAI.OpenAIClient>(), provider.GetRequiredService<OpenAI.OpenAIClient>());
        Assert.IsType<InMemoryBudgetLedger>(provider.GetRequiredService<BudgetLedger>());
        Assert.Same(provider.GetRequiredService<IModelGateway>(), provider.GetRequiredService<TarsGateway>());
    }

    [Fact]
    public void With_table_storage_registered_budgets_and_records_go_to_tables()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton(new Azure.Data.Tables.TableServiceClient("UseDevelopmentStorage=true"));
        services.AddTradingGateway(Config());
        using var provider = services.BuildServiceProvider();

        Assert.IsType<TableBudgetLedger>(provider.GetRequiredService<BudgetLedger>());
        Assert.IsType<Telemetry.TableCallRecordStore>(provider.GetRequiredService<Telemetry.CallRecordStore>());
    }

    [Fact]
    public void An_unresolved_key_vault_reference_leaves_the_gateway_offline_and_the_next_key_name_is_used()
    {
        var reference = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/llm-gateway-api-key)";

        Assert.False(GatewaySettings.FromConfiguration(Config(("LLM_GATEWAY_API_KEY", reference))).IsOnline);
        var fallback = GatewaySettings.FromConfiguration(Config(("LLM_GATEWAY_API_KEY", reference), ("TETRATE_API_KEY", "real")));
        Assert.Equal("TETRATE_API_KEY", fallback.ApiKeySource);
    }
}
