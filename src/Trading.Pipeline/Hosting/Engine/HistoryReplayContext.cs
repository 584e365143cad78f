using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Hosting.Engine;

/// <summary>
/// Replays an orchestration over the activity results of its history to recover what it sent each activity. The Azure
/// Storage provider keeps activity results in the history but not their inputs; the orchestration is deterministic, so
/// replaying it over the results reproduces the inputs exactly (as the engine's own replay does).
/// </summary>
internal sealed class HistoryReplayContext : IOrchestrationContext
{
    private readonly IReadOnlyList<(string Name, string OutputJson)> _results;
    private readonly List<string> _inputs = [];

    public HistoryReplayContext(string instanceId, DateTime startedUtc, IReadOnlyList<(string Name, string OutputJson)> results)
    {
        InstanceId = instanceId;
        CurrentUtcDateTime = startedUtc;
        _results = results;
    }

    public string InstanceId { get; }

    public DateTime CurrentUtcDateTime { get; }

    public ILogger ReplaySafeLogger => NullLogger.Instance;

    public void SetProgress(RunProgress progress)
    {
        // Replaying only to recover inputs: nobody reads this progress.
    }

    /// <summary>The inputs sent, in order (as many as there were results to replay).</summary>
    public IReadOnlyList<string> Inputs => _inputs;

    public Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        ArgumentNullException.ThrowIfNull(input);
        var index = _inputs.Count;
        if (index >= _results.Count || _results[index].Name != name)
        {
            throw new OperationCanceledException("End of the recorded history.");
        }

        _inputs.Add(JsonSerializer.Serialize(input, input.GetType(), StateJson.Options));
        return Task.FromResult(JsonSerializer.Deserialize<TOut>(_results[index].OutputJson, StateJson.Options)!);
    }

    /// <summary>The inputs the orchestration <paramref name="orchestrationName"/> sent for these results.</summary>
    public static async Task<IReadOnlyList<string>> InputsAsync(
        string orchestrationName, string instanceId, RunRequest request, DateTime startedUtc, IReadOnlyList<(string Name, string OutputJson)> results)
    {
        var context = new HistoryReplayContext(instanceId, startedUtc, results);
        try
        {
            _ = orchestrationName == ActivityNames.ManagePositionsOrchestration
                ? await ManagePositionsOrchestration.RunAsync(context, request)
                : await EntryOrchestration.RunAsync(context, request);
        }
        catch (OperationCanceledException)
        {
            // The history ended before the orchestration did (a run still in progress).
        }

        return context.Inputs;
    }
}
