using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Hosting.Engine;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;

namespace Trading.Cli.Backtest;

/// <summary>
/// Not an engine: the backtest drives the same orchestration code by calling each activity directly, in this process, as it
/// is reached — no queue, no history, no persistence, no replay (a year of days through a task hub's queues would take
/// hours). Payloads still go through the same JSON as on the engines, and a failing activity is retried as its
/// <see cref="ActivityRetry"/> says, without waiting. The activities it ran are kept for the cost estimate.
/// </summary>
public sealed class BacktestOrchestrationContext : IOrchestrationContext
{
    private readonly ActivityCatalog _activities;
    private readonly TimeProvider _clock;
    private readonly List<RecordedActivity> _log = [];

    public BacktestOrchestrationContext(string instanceId, ActivityCatalog activities, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(clock);
        InstanceId = instanceId;
        _activities = activities;
        _clock = clock;
    }

    public string InstanceId { get; }

    /// <summary>The simulation clock (the backtest moves it; nothing replays, so it need not come from a history).</summary>
    public DateTime CurrentUtcDateTime => _clock.GetUtcNow().UtcDateTime;

    public ILogger ReplaySafeLogger => NullLogger.Instance;

    public void SetProgress(RunProgress progress)
    {
        // A backtest reports per simulated day (its progress bar), not per stage.
    }

    /// <summary>The activities run so far, in order, with their payloads.</summary>
    public IReadOnlyList<RecordedActivity> Log => _log;

    public async Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(retry);
        var inputJson = JsonSerializer.Serialize(input, input.GetType(), StateJson.Options);
        for (var attempt = 1; ; attempt++)
        {
            string outputJson;
            try
            {
                outputJson = await _activities.InvokeAsync(name, inputJson, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt >= retry.MaxAttempts)
                {
                    throw new ActivityFailedException(name, $"{e.GetType().Name}: {e.Message} (after {attempt} attempt(s))", e);
                }

                continue;
            }

            lock (_log)
            {
                // The council's seats may be called concurrently.
                _log.Add(new RecordedActivity { Sequence = _log.Count, Name = name, InputJson = inputJson, OutputJson = outputJson, CompletedUtc = _clock.GetUtcNow() });
            }
            return JsonSerializer.Deserialize<TOut>(outputJson, StateJson.Options)
                ?? throw new InvalidOperationException($"Activity {name} returned no result.");
        }
    }
}
