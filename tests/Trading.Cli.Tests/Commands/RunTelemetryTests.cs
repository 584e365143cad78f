using System.Collections.Concurrent;
using Trading.Cli.Tests.Support;
using Trading.Gateway.Routing;
using Trading.Gateway.Telemetry;
using Trading.Pipeline.Activities;
using Trading.TestKit.OpenAi;
using Trading.TestKit.Otlp;

namespace Trading.Cli.Tests.Commands;

/// <summary>
/// <c>trading run</c> with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set: its spans and metrics leave the process over OTLP/HTTP
/// (binary protobuf) to a collector on loopback, with real model calls to the loopback OpenAI server.
/// </summary>
public sealed class RunTelemetryTests : IClassFixture<TradingMoment>
{
    private readonly string _tradingMoment;

    public RunTelemetryTests(TradingMoment moment)
    {
        _tradingMoment = moment.At;
    }

    [Fact]
    public async Task A_runs_spans_and_gateway_metrics_reach_an_OTLP_collector()
    {
        await using var collector = await OtlpLoopbackCollector.StartAsync();
        await using var gateway = await OpenAiLoopbackServer.StartAsync();
        gateway.DefaultReply = Reply;
        var runner = new CliRunner(settings: new Dictionary<string, string?>
        {
            ["LLM_GATEWAY_BASE_URL"] = gateway.BaseUrl.ToString(),
            ["LLM_GATEWAY_API_KEY"] = "test-key-not-secret",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var activities = new ConcurrentQueue<string>();
        var simulated = runner.Context(configureServices: runner.AfterActivity(name =>
        {
            activities.Enqueue(name);
            return Task.CompletedTask;
        }));
        // The wall clock, as `trading run` has: the runner's simulated clock fires every timer at once, the gateway's call
        // deadline among them.
        var context = new CliContext
        {
            ContentRoot = simulated.ContentRoot,
            Overrides = simulated.Overrides,
            Interactive = false,
            ConfigureServices = simulated.ConfigureServices,
        };

        var result = await runner.InvokeAsync(["run", "--at", _tradingMoment, "--json"], context);

        // The providers flush when the command disposes its services, before it returns.
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotEmpty(collector.Spans);
        Assert.All(collector.Spans, s => Assert.Equal("trading-cli", s.Resource.GetValueOrDefault("service.name")));

        // ActivitySource listeners are process-wide: runs of other tests in this process are exported too. This run's trace
        // is the one its model requests (POST) to this test's server belong to; the models check before the run is a trace of its own.
        var modelRequests = collector.Spans.Where(s => s.Name == "POST" && s["server.port"] is long port && port == gateway.BaseUrl.Port).ToList();
        var traceId = Assert.Single(modelRequests.Select(s => s.TraceId).Distinct());
        var spans = collector.Spans.Where(s => s.TraceId == traceId).ToList();

        // One gateway span per model call, with the model that answered and what it cost.
        var chatRequests = gateway.Requests.Where(r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(chatRequests);
        var calls = spans.Where(s => s.Scope == GatewayTelemetry.SourceName && s.Name == "gateway.chat").ToList();
        Assert.Equal(chatRequests.Count, calls.Count);
        var gatewayIds = ModelRegistry.Default.Models.ToDictionary(m => m.LogicalName, m => m.GatewayModelId);
        Assert.Equal(
            chatRequests.Select(r => r.Model).Order(StringComparer.Ordinal),
            calls.Select(c => gatewayIds[(string)c["gen_ai.response.model"]!]).Order(StringComparer.Ordinal));
        Assert.All(calls, c =>
        {
            Assert.Equal("chat", c["gen_ai.operation.name"]);
            Assert.Equal("succeeded", c["gateway.outcome"]);
            Assert.True((double)c["gateway.cost_usd"]! > 0, "cost attribute");
            Assert.True((long)c["gen_ai.usage.input_tokens"]! > 0, "input tokens attribute");
        });

        var embeddingRequests = gateway.Requests.Count(r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal));
        var embeddings = spans.Where(s => s.Scope == GatewayTelemetry.SourceName && s.Name == "gateway.embeddings").ToList();
        Assert.Equal(embeddingRequests, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal("embeddings", e["gen_ai.operation.name"]));

        // One Trading.Pipeline span per activity the engine ran.
        var stages = spans.Where(s => s.Scope == PipelineTelemetry.SourceName).ToList();
        Assert.Equal(activities.Order(StringComparer.Ordinal), stages.Select(s => (string)s[PipelineTelemetry.ActivityAttribute]!).Order(StringComparer.Ordinal));
        var runIds = stages.Select(s => s[PipelineTelemetry.RunIdAttribute]).Distinct().ToList();
        Assert.Single(runIds);

        // One trace per run, rooted where the run's orchestration was created: engine activity → stage → model call → HTTP.
        var root = Assert.Single(spans, s => s.Name == "create_orchestration:EntryOrchestration");
        Assert.Equal(string.Empty, root.ParentSpanId);
        var trace = spans.ToDictionary(s => s.SpanId);
        Assert.All(calls.Concat(embeddings), c => Assert.Equal(PipelineTelemetry.SourceName, trace[c.ParentSpanId].Scope));
        Assert.Equal(
            chatRequests.Count + embeddingRequests,
            trace.Values.Count(s => s.Scope != GatewayTelemetry.SourceName && trace.TryGetValue(s.ParentSpanId, out var parent) && parent.Scope == GatewayTelemetry.SourceName));

        // The gateway's meter exports too.
        Assert.Contains(collector.Metrics, m => m.Scope == GatewayTelemetry.SourceName && m.Name == "gateway.calls");
        Assert.Contains(collector.Metrics, m => m.Scope == GatewayTelemetry.SourceName && m.Name == "gateway.cost");
    }

    // The approving models, except the final decision, which declines: the test needs model calls, not an order.
    private static ScriptedReply Reply(LoopbackRequest request) =>
        ApprovingModels.SchemaName(request) == "final_decision"
            ? ScriptedReply.Json("""{"execute":false,"limitPrice":1.00,"reason":"telemetry test declines"}""")
            : ApprovingModels.Reply(request);
}
