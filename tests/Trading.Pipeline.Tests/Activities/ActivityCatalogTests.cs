using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Hosting;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Tests.Support;

namespace Trading.Pipeline.Tests.Activities;

public sealed class ActivityCatalogTests
{
    [Fact]
    public async Task A_run_traces_one_pipeline_span_per_activity_with_its_run_id_and_records_each_duration()
    {
        const string runId = "entry-2026-11-23T15:00Z-traced";
        using var spans = new SpanCollector(runId);
        await using var harness = await PipelineHarness.CreateAsync();

        var (_, instance) = await harness.StartAndRunAsync(RunKinds.Entry, runId, new RunRequest { Trigger = RunTriggers.Timer }, CancellationToken.None);

        Assert.Equal(RunStatuses.Completed, instance!.Status);
        string[] expected =
        [
            ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory,
            ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.ConveneCouncil, ActivityNames.DecideExecution,
            ActivityNames.PlaceOrder, ActivityNames.RecordRun,
        ];
        Assert.Equal(expected, spans.Stopped.Select(s => s.DisplayName).ToArray());
        Assert.All(spans.Stopped, s =>
        {
            Assert.Equal(PipelineTelemetry.SourceName, s.Source.Name);
            Assert.Equal(s.DisplayName, s.GetTagItem(PipelineTelemetry.ActivityAttribute));
            Assert.NotEqual(ActivityStatusCode.Error, s.Status);
        });
        Assert.True(expected.All(name => spans.Durations.ContainsKey(name)), string.Join(", ", spans.Durations.Keys));
    }

    [Fact]
    public async Task A_failing_activity_marks_its_span_as_an_error_and_rethrows()
    {
        using var spans = new SpanCollector("run-failing");
        var catalog = new ActivityCatalog([new FailingActivity()]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            catalog.RunAsync<RunRequest, MarketSnapshot>(ActivityNames.MarketSnapshot, new RunRequest { RunId = "run-failing" }, CancellationToken.None));

        Assert.Equal("the market is unreachable", error.Message);
        var span = Assert.Single(spans.Stopped);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task The_catalog_refuses_two_activities_of_one_name_an_unknown_name_and_a_call_of_the_wrong_types()
    {
        var duplicate = Assert.Throws<InvalidOperationException>(() => new ActivityCatalog([new FailingActivity(), new FailingActivity()]));
        Assert.Contains(ActivityNames.MarketSnapshot, duplicate.Message, StringComparison.Ordinal);

        var catalog = new ActivityCatalog([new FailingActivity()]);
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.InvokeAsync("NoSuchActivity", "{}", CancellationToken.None));
        Assert.Contains("Unknown activity 'NoSuchActivity'", unknown.Message, StringComparison.Ordinal);
        var mistyped = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            catalog.RunAsync<RunRequest, OpenPositions>(ActivityNames.MarketSnapshot, new RunRequest(), CancellationToken.None));
        Assert.Contains("does not take RunRequest to OpenPositions", mistyped.Message, StringComparison.Ordinal);
    }

    private sealed class FailingActivity() : PipelineActivity<RunRequest, MarketSnapshot>(ActivityNames.MarketSnapshot)
    {
        public override Task<MarketSnapshot> RunAsync(RunRequest input, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the market is unreachable");
    }

    /// <summary>The pipeline's spans and duration measurements of one run (other tests' runs are told apart by run id).</summary>
    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _spans;
        private readonly MeterListener _meters = new();
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly string _runId;

        public SpanCollector(string runId)
        {
            _runId = runId;
            _spans = new ActivityListener
            {
                ShouldListenTo = source => source.Name == PipelineTelemetry.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = span =>
                {
                    if (Equals(span.GetTagItem(PipelineTelemetry.RunIdAttribute), _runId))
                    {
                        _stopped.Enqueue(span);
                    }
                },
            };
            ActivitySource.AddActivityListener(_spans);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == PipelineTelemetry.SourceName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == PipelineTelemetry.ActivityAttribute && tag.Value is string name && value >= 0)
                    {
                        Durations.TryAdd(name, value);
                    }
                }
            });
            _meters.Start();
        }

        public IReadOnlyList<Activity> Stopped => [.. _stopped];

        public ConcurrentDictionary<string, double> Durations { get; } = new(StringComparer.Ordinal);

        public void Dispose()
        {
            _spans.Dispose();
            _meters.Dispose();
        }
    }
}
