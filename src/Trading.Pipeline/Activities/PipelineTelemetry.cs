using System.Diagnostics;
using System.Diagnostics.Metrics;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;

namespace Trading.Pipeline.Activities;

/// <summary>
/// The pipeline's ActivitySource and Meter, "Trading.Pipeline": one span per activity call (named after the activity, with the
/// run id) and a histogram of activity durations by activity and outcome. The hosts export them (Trading.Hosting's
/// TradingTelemetry); model calls made inside an activity are its child spans (source "Trading.Gateway").
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>Name of the ActivitySource and Meter.</summary>
    public const string SourceName = "Trading.Pipeline";

    /// <summary>Span attribute: the activity's name.</summary>
    public const string ActivityAttribute = "trading.activity";

    /// <summary>Span attribute: the run (orchestration instance) the call belongs to.</summary>
    public const string RunIdAttribute = "trading.run_id";

    private static readonly ActivitySource Source = new(SourceName);
    private static readonly Meter Meter = new(SourceName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "trading.pipeline.activity.duration", "s", "Duration of pipeline activity calls, by activity and outcome.");

    internal static Activity? StartActivity(string name, object input)
    {
        var span = Source.StartActivity(name, ActivityKind.Internal);
        if (span is not null)
        {
            span.SetTag(ActivityAttribute, name);
            if (RunIdOf(input) is { Length: > 0 } runId)
            {
                span.SetTag(RunIdAttribute, runId);
            }
        }

        return span;
    }

    internal static void Completed(Activity? span, string name, long startedTimestamp, Exception? failure)
    {
        if (failure is not null)
        {
            span?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
            span?.SetTag("error.type", failure.GetType().FullName);
        }

        if (Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds,
                new(ActivityAttribute, name), new("trading.outcome", failure is null ? "ok" : "failed"));
        }
    }

    /// <summary>The run an activity input belongs to.</summary>
    private static string? RunIdOf(object input) => input switch
    {
        RunRequest run => run.RunId,
        SnapshotInput snapshot => snapshot.Run.RunId,
        ProposalInput proposal => proposal.Run.RunId,
        DeliberationInput deliberation => deliberation.Run.RunId,
        OrderRequest order => order.Run.RunId,
        RunJournal journal => journal.InstanceId,
        PositionInput position => position.RunId,
        CloseRequest close => close.RunId,
        _ => null,
    };
}
