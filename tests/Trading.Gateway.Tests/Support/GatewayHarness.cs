using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Calls;
using Trading.Gateway.Configuration;
using Trading.Gateway.Embeddings;
using Trading.Gateway.Telemetry;
using Trading.TestKit.OpenAi;

namespace Trading.Gateway.Tests.Support;

/// <summary>A real TarsGateway (real OpenAI SDK) pointed at a loopback server, with fast retry settings.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    public const string ApiKey = "sk-test-SECRET-0123456789abcdef";

    private GatewayHarness(OpenAiLoopbackServer server, TarsGateway gateway, GatewayEmbedder embedder, BudgetLedger ledger,
        InMemoryCallRecordStore records, FakeLoggerProvider logs, ModelRegistry registry, ModelResilience resilience)
    {
        Resilience = resilience;
        Server = server;
        Gateway = gateway;
        Embedder = embedder;
        Ledger = ledger;
        Records = records;
        Logs = logs;
        Registry = registry;
    }

    public OpenAiLoopbackServer Server { get; }

    public TarsGateway Gateway { get; }

    public GatewayEmbedder Embedder { get; }

    public BudgetLedger Ledger { get; }

    public InMemoryCallRecordStore Records { get; }

    public FakeLoggerProvider Logs { get; }

    public ModelRegistry Registry { get; }

    public ModelResilience Resilience { get; }

    public string IdOf(string logical) => Registry.Get(logical).GatewayModelId;

    public static RoutingOptions FastRouting() => new()
    {
        InitialBackoffMilliseconds = 1,
        MaxBackoffMilliseconds = 2000,
        AttemptTimeoutSeconds = 5,
        CallDeadlineSeconds = 20,
        CircuitFailureThreshold = 50,
    };

    public static async Task<GatewayHarness> StartAsync(
        RoutingOptions? routing = null,
        BudgetOptions? budget = null,
        IEnumerable<ModelDescriptor>? models = null,
        Func<BudgetOptions, ILoggerFactory, BudgetLedger>? ledger = null)
    {
        var server = await OpenAiLoopbackServer.StartAsync();
        routing ??= FastRouting();
        budget ??= new BudgetOptions { DailyLimitUsd = 100m, MonthlyLimitUsd = 1000m };
        var logs = new FakeLoggerProvider();
        var factory = logs.CreateFactory();
        var registry = new ModelRegistry(models ?? ModelRegistry.DefaultModels());
        var settings = new GatewaySettings(server.BaseUrl, ApiKey);
        var client = GatewayClientFactory.Create(settings);
        var book = ledger?.Invoke(budget, factory) ?? new InMemoryBudgetLedger(budget, TimeProvider.System, factory.CreateLogger<InMemoryBudgetLedger>());
        var records = new InMemoryCallRecordStore();
        var telemetry = new GatewayTelemetry(records, factory.CreateLogger<GatewayTelemetry>());
        var selector = new ModelSelector(registry, routing.ToPolicy(budget.OnExhausted));
        var resilience = new ModelResilience(routing, TimeProvider.System);
        var gateway = new TarsGateway(settings, client, selector, book, telemetry, routing, resilience, TimeProvider.System, factory.CreateLogger<TarsGateway>());
        var embedder = new GatewayEmbedder(client!, registry, book, telemetry, routing, resilience, TimeProvider.System, factory.CreateLogger<GatewayEmbedder>());
        return new GatewayHarness(server, gateway, embedder, book, records, logs, registry, resilience);
    }

    public static ModelCall Call(string task = "options_analysis", string key = "run-1/req-1", string runId = "run-1") =>
        new(task, runId, "You are a careful options analyst.", "Assess SPY 30-DTE iron condor at 15 delta.", "verdict", Verdict.Schema, key, 200);

    public async ValueTask DisposeAsync()
    {
        await Gateway.DrainShadowsAsync();
        await Server.DisposeAsync();
        Resilience.Dispose();
    }
}

/// <summary>The record the tests parse into.</summary>
public sealed record Verdict(bool Approve, double Confidence, string Reason)
{
    public const string Schema = """{"type":"object","properties":{"approve":{"type":"boolean"},"confidence":{"type":"number"},"reason":{"type":"string"}},"required":["approve","confidence","reason"],"additionalProperties":false}""";

    public const string ApproveJson = """{"approve":true,"confidence":0.8,"reason":"credit is adequate"}""";

    public const string RejectJson = """{"approve":false,"confidence":0.9,"reason":"IV rank too low"}""";
}
