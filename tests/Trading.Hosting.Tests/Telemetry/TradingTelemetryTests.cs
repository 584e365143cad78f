using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Trading.Core.ModelCalls;
using Trading.Gateway.Routing;
using Trading.Gateway;
using Trading.Gateway.Telemetry;
using Trading.Hosting.Telemetry;
using Trading.TestKit.OpenAi;

namespace Trading.Hosting.Tests.Telemetry;

public sealed class TradingTelemetryTests
{
    private const string Schema = """{"type":"object","properties":{"approve":{"type":"boolean"}},"required":["approve"],"additionalProperties":false}""";

    private sealed record Verdict(bool Approve);

    [Fact]
    public async Task Each_model_call_is_one_span_with_its_model_tokens_and_cost_and_its_HTTP_request_beneath_it()
    {
        await using var server = await OpenAiLoopbackServer.StartAsync();
        server.DefaultReply = _ => ScriptedReply.Json("""{"approve":true}""", new LoopbackUsage(1000, 200));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LLM_GATEWAY_API_KEY"] = "sk-test-telemetry",
            ["LLM_GATEWAY_BASE_URL"] = server.BaseUrl.ToString(),
        }).Build();
        var exported = new List<Activity>();
        using var tally = new SpanTally();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System);
        services.AddTradingGateway(configuration);
        services.AddTradingTelemetry(configuration, "trading-tests").WithTracing(t => t.AddInMemoryExporter(exported).AddProcessor(tally));
        await using var provider = services.BuildServiceProvider();
        var tracer = provider.GetRequiredService<TracerProvider>(); // a host starts it; here the test does
        var gateway = provider.GetRequiredService<IModelGateway>();

        var runId = "run-" + Guid.NewGuid().ToString("N");
        foreach (var task in new[] { "options_analysis", "market_research" })
        {
            var answer = await gateway.CompleteJsonAsync<Verdict>(
                new ModelCall(task, runId, "You are terse.", "Approve?", "verdict", Schema, runId + "/" + task, 100), CancellationToken.None);
            Assert.True(answer.Succeeded, answer.FailureReason);
        }

        tracer.ForceFlush();
        var calls = exported.Where(a => a.Source.Name == GatewayTelemetry.SourceName && (string?)a.GetTagItem("gateway.run_id") == runId).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal([ModelRegistry.KimiK2, ModelRegistry.MistralMedium3], calls.Select(c => c.GetTagItem("gen_ai.response.model")).Order().ToList());
        Assert.All(calls, c =>
        {
            Assert.Equal(1000, c.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.Equal(200, c.GetTagItem("gen_ai.usage.output_tokens"));
            Assert.True((double)c.GetTagItem("gateway.cost_usd")! > 0);
            Assert.Single(exported, h => h.ParentSpanId == c.SpanId && h.Kind == ActivityKind.Client && h.Source.Name != GatewayTelemetry.SourceName);
        });
        Assert.Equal(2, tally.ModelCalls);
        Assert.Equal((decimal)calls.Sum(c => (double)c.GetTagItem("gateway.cost_usd")!), tally.CostUsd, 6);
        Assert.Contains("2 model calls", tally.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_requests_are_left_out_of_the_traces_and_model_requests_are_not()
    {
        using var storage = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1:10001/devstoreaccount1/queue/messages");
        storage.Headers.Add("x-ms-version", "2025-01-05");
        using var model = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1:5000/v1/chat/completions");

        Assert.True(TradingTelemetry.IsStorageRequest(storage));
        Assert.False(TradingTelemetry.IsStorageRequest(model));
    }

    [Fact]
    public void The_OTLP_exporter_follows_the_standard_endpoint_setting()
    {
        Assert.False(TradingTelemetry.ExportsOtlp(new ConfigurationBuilder().Build()));
        Assert.True(TradingTelemetry.ExportsOtlp(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { [TradingTelemetry.OtlpEndpointSetting] = "http://127.0.0.1:4317" }).Build()));
    }
}
