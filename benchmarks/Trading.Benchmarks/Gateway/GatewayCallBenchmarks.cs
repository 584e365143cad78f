using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI.Chat;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Gateway.Budgets;
using Trading.Gateway.Calls;
using Trading.Gateway.Configuration;
using Trading.Gateway.Telemetry;
using Trading.TestKit.OpenAi;

namespace Trading.Benchmarks.Gateway;

/// <summary>
/// One structured call through our gateway (selection, in-memory budget reserve/settle, parse, telemetry) side by side with
/// the bare SDK call to the same loopback server (target ratio ≤ 1.10; storage excluded). Both sides send the same messages,
/// output cap and schema, and both parse the answer into <see cref="Verdict"/> with the same serializer settings, so the
/// difference is the gateway's own work. Two launches with long warm-ups: the loopback server shares the process's two
/// cores, and short runs measure tiering and thread-pool ramp-up more than the call.
/// Run: dotnet run -c Release --project benchmarks/Trading.Benchmarks -- --filter '*GatewayCall*'
/// Interleaved A/B in one process: ... -- paired gateway.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 2, warmupCount: 15, iterationCount: 20)]
public class GatewayCallBenchmarks
{
    private const string Answer = """{"approve":true,"confidence":0.8,"reason":"ok"}""";
    // The gateway's parse settings (Web defaults, required constructor parameters and nullability respected).
    private static readonly JsonSerializerOptions ParseOptions = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private const string Schema = """{"type":"object","properties":{"approve":{"type":"boolean"},"confidence":{"type":"number"},"reason":{"type":"string"}},"required":["approve","confidence","reason"]}""";
    private OpenAiLoopbackServer _server = null!;
    private TarsGateway _gateway = null!;
    private ChatClient _bare = null!;
    private ChatCompletionOptions _bareOptions = null!;
    private List<ChatMessage> _messages = null!;
    private ModelCall _call = null!;
    private ModelResilience _resilience = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = OpenAiLoopbackServer.StartAsync().GetAwaiter().GetResult();
        _server.DefaultReply = _ => ScriptedReply.Json(Answer);
        _server.KeepRequests = false;
        var routing = new RoutingOptions();
        var budget = new BudgetOptions { DailyLimitUsd = 1_000_000m, MonthlyLimitUsd = 1_000_000m };
        var settings = new GatewaySettings(_server.BaseUrl, "bench-key");
        var client = GatewayClientFactory.Create(settings)!;
        _gateway = new TarsGateway(settings, client, new ModelSelector(ModelRegistry.Default, routing.ToPolicy(budget.OnExhausted)),
            new InMemoryBudgetLedger(budget, TimeProvider.System, NullLogger<InMemoryBudgetLedger>.Instance),
            new GatewayTelemetry(new NullCallRecordStore(), NullLogger<GatewayTelemetry>.Instance), routing,
            new ModelResilience(routing, TimeProvider.System), TimeProvider.System,
            NullLogger<TarsGateway>.Instance);
        _resilience = new ModelResilience(routing, TimeProvider.System);
        _bare = client.GetChatClient(ModelRegistry.Default.Get(ModelRegistry.KimiK2).GatewayModelId);
        _bareOptions = new ChatCompletionOptions
        {
            MaxOutputTokenCount = 200,
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("verdict", BinaryData.FromString(Schema)),
        };
        _messages = [new SystemChatMessage("You are a careful options analyst."), new UserChatMessage("Assess SPY 30-DTE iron condor.")];
        _call = new ModelCall("options_analysis", "bench", "You are a careful options analyst.", "Assess SPY 30-DTE iron condor.", "verdict", Schema, "k", 200);

        // Loopback calls on this machine keep getting faster for several seconds (tiering and PGO of the server, the client
        // and the sockets); both sides are driven until then, so the iterations compare steady states, not ramps.
        var until = DateTime.UtcNow + SteadyStateWarmUp;
        while (DateTime.UtcNow < until)
        {
            for (var i = 0; i < 200; i++)
            {
                _ = BareSdk().GetAwaiter().GetResult();
                _ = ThroughGateway().GetAwaiter().GetResult();
            }
        }
    }

    private static readonly TimeSpan SteadyStateWarmUp = TimeSpan.FromSeconds(12);

    [GlobalCleanup]
    public void Cleanup()
    {
        _resilience.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task<bool> BareSdk() => BareSdkAsync(CancellationToken.None);

    private async Task<bool> BareSdkAsync(CancellationToken cancellationToken)
    {
        var r = await _bare.CompleteChatAsync(_messages, _bareOptions, cancellationToken);
        return JsonSerializer.Deserialize<Verdict>(r.Value.Content[0].Text, ParseOptions) is not null;
    }

    /// <summary>
    /// The bare call inside a model's Polly pipeline (retry, circuit breaker, attempt timeout) and nothing else of the
    /// gateway: what resilience alone costs per call (paired runner: <c>paired resilience</c>).
    /// </summary>
    public async Task<bool> BareSdkWithResilience() =>
        (await _resilience.ExecuteAsync<BareAttempt>(
            "bench-resilience",
            async token => Polly.Outcome.FromResult(new BareAttempt(await BareSdkAsync(token))),
            int.MaxValue,
            CancellationToken.None))?.Parsed == true;

    [Benchmark]
    public async Task<bool> ThroughGateway() => (await _gateway.CompleteJsonAsync<Verdict>(_call, CancellationToken.None)).Succeeded;

    private sealed record BareAttempt(bool Parsed) : IModelAttempt
    {
        public FailureClass Failure => FailureClass.None;

        public TimeSpan? RetryAfter => null;
    }

    /// <summary>The parsed record.</summary>
    public sealed record Verdict(bool Approve, double Confidence, string Reason);

    private sealed class NullCallRecordStore : CallRecordStore
    {
        public override Task AppendAsync(GatewayCallRecord record, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task<IReadOnlyList<GatewayCallRecord>> ReadDayAsync(string day, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<GatewayCallRecord>>([]);
    }
}
