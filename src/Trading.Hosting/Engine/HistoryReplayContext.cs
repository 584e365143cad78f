using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Hosting.Engine;

/// <summary>
/// Replays an orchestration over the activity results of its history to recover what it sent each activity. The Azure
/// Storage provider keeps activity results in the history but not their inputs; the orchestration is deterministic, so
/// replaying it over the results reproduces the inputs exactly (as the engine's own replay does). Results are taken in order,
/// except the council's votes, which are matched to their seats (parallel activities complete in any order).
/// </summary>
internal sealed class HistoryReplayContext : IOrchestrationContext
{
    private readonly IReadOnlyList<(string Name, string OutputJson)> _results;
    private readonly string?[] _inputs;
    private int _next;

    public HistoryReplayContext(string instanceId, DateTime startedUtc, IReadOnlyList<(string Name, string OutputJson)> results)
    {
        InstanceId = instanceId;
        CurrentUtcDateTime = startedUtc;
        _results = results;
        _inputs = new string?[results.Count];
    }

    public string InstanceId { get; }

    public DateTime CurrentUtcDateTime { get; }

    public ILogger ReplaySafeLogger => NullLogger.Instance;

    public void SetProgress(RunProgress progress)
    {
        // Replaying only to recover inputs: nobody reads this progress.
    }

    /// <summary>The input sent for each result, by the result's position (null when the replay did not reach it).</summary>
    public IReadOnlyList<string?> Inputs => _inputs;

    public Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        ArgumentNullException.ThrowIfNull(input);
        var inputJson = JsonSerializer.Serialize(input, input.GetType(), StateJson.Options);
        int index;
        if (name == ActivityNames.CastVote)
        {
            // The seats vote in parallel and complete in any order: a vote is found by its seat's member. A seat with no
            // recorded vote failed after its retries (or has not answered yet): the orchestration records an abstention.
            var member = ((VoteInput)input).Seat.Member;
            index = Enumerable.Range(0, _results.Count).FirstOrDefault(i => _inputs[i] is null && _results[i].Name == name && MemberOf(_results[i].OutputJson) == member, -1);
            if (index < 0)
            {
                throw new ActivityFailedException(name, "no recorded vote");
            }
        }
        else
        {
            while (_next < _results.Count && _inputs[_next] is not null)
            {
                _next++;
            }

            index = _next;
            if (index >= _results.Count || _results[index].Name != name)
            {
                throw new OperationCanceledException("End of the recorded history.");
            }
        }

        _inputs[index] = inputJson;
        return Task.FromResult(JsonSerializer.Deserialize<TOut>(_results[index].OutputJson, StateJson.Options)!);
    }

    private static string? MemberOf(string ballotJson) => JsonSerializer.Deserialize<CouncilBallot>(ballotJson, StateJson.Options)?.Vote.Member;

    /// <summary>The inputs the orchestration <paramref name="orchestrationName"/> sent for these results.</summary>
    public static async Task<IReadOnlyList<string?>> InputsAsync(
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
