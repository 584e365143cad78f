using System.Diagnostics;
using System.Diagnostics.Metrics;
using Trading.Gateway.Telemetry;
using Trading.Gateway.Tests.Support;
using Trading.TestKit.OpenAi;

namespace Trading.Gateway.Tests;

public sealed class TelemetryEmissionTests
{
    [Fact]
    public async Task Each_call_emits_an_activity_metrics_and_a_log_line()
    {
        var activities = new List<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == GatewayTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) activities.Add(a); },
        };
        ActivitySource.AddActivityListener(activityListener);
        var measurements = new List<(string Name, double Value)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == GatewayTelemetry.SourceName)
                    l.EnableMeasurementEvents(i);
            },
        };
        meterListener.SetMeasurementEventCallback<long>((i, v, _, _) => { lock (measurements) measurements.Add((i.Name, v)); });
        meterListener.SetMeasurementEventCallback<double>((i, v, _, _) => { lock (measurements) measurements.Add((i.Name, v)); });
        meterListener.Start();

        await using var h = await GatewayHarness.StartAsync();
        h.Server.Enqueue(ScriptedReply.Json(Verdict.ApproveJson, new LoopbackUsage(1000, 300, 400, 120)));
        var runId = "telemetry-" + Guid.NewGuid().ToString("N");
        await h.Gateway.CompleteJsonAsync<Verdict>(GatewayHarness.Call(runId: runId), CancellationToken.None);

        var activity = Assert.Single(activities, a => (string?)a.GetTagItem("gateway.run_id") == runId);
        Assert.Equal("kimi-k2", activity.GetTagItem("gateway.served_model"));
        Assert.Equal("chat", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("kimi-k2", activity.GetTagItem("gen_ai.response.model"));
        Assert.Equal(1000, activity.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(300, activity.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(0.00117, (double)activity.GetTagItem("gateway.cost_usd")!, 12);
        lock (measurements)
        {
            Assert.Contains(measurements, m => m.Name == "gateway.calls" && m.Value == 1);
            Assert.Contains(measurements, m => m.Name == "gateway.cost" && Math.Abs(m.Value - 0.00117) < 1e-12);
            Assert.Contains(measurements, m => m.Name == "gateway.tokens" && m.Value == 120);
        }

        Assert.Contains(h.Logs.Lines(), l => l.Contains(runId, StringComparison.Ordinal) && l.Contains("served kimi-k2", StringComparison.Ordinal));
    }
}
