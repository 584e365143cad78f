using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trading.Pipeline.Activities;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.Scheduling;
using Trading.Pipeline.State;

namespace Trading.Pipeline.Hosting;

/// <summary>An orchestration instance as the in-process runner stores it.</summary>
public sealed record RunInstance
{
    public string InstanceId { get; init; } = string.Empty;

    public string Kind { get; init; } = RunKinds.Entry;

    public RunRequest Request { get; init; } = new();

    public string Status { get; init; } = RunStatuses.Pending;

    /// <summary>Incremented when a terminal instance id is started again; activity results are kept per generation.</summary>
    public int Generation { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }

    public DateTimeOffset UpdatedUtc { get; init; }

    public string? Error { get; init; }

    public RunJournal? Output { get; init; }
}

/// <summary>One completed activity as recorded by the runner (the replay log).</summary>
public sealed record RecordedActivity
{
    public int Sequence { get; init; }

    public string Name { get; init; } = string.Empty;

    public string InputJson { get; init; } = string.Empty;

    public string OutputJson { get; init; } = string.Empty;

    public DateTimeOffset CompletedUtc { get; init; }
}

/// <summary>Knobs of the in-process runner.</summary>
public sealed class InProcessRunnerOptions
{
    /// <summary>Multiplies every retry delay (tests use 0).</summary>
    public double RetryDelayScale { get; set; } = 1.0;

    /// <summary>
    /// A run not finished whose stored state has not changed for this long (by the table service's own timestamps) is taken
    /// for abandoned — its process was interrupted or died — and no longer blocks new manual runs; `trading run --resume ID`
    /// still continues it. Every activity writes, so a live run refreshes it at least once per activity.
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The clock compared with the table service's timestamps: the wall clock (the CLI's market clock can be days ahead of it).
    /// </summary>
    public TimeProvider WallClock { get; set; } = TimeProvider.System;
}

/// <summary>
/// Runs orchestrations in this process: it implements <see cref="IOrchestrationContext"/> by invoking activities directly,
/// storing each result in Table Storage as it completes. Running an instance again (<see cref="RunAsync"/>) replays the
/// recorded results and continues after the last completed activity, so an interrupted run resumes where it stopped and a
/// recorded PlaceOrder is never placed again. Start requests follow the singleton rule (absent or terminal only).
/// </summary>
public sealed class InProcessOrchestrationRunner : IRunLauncher
{
    private const string InstancePartition = "instance";
    private const string ActivePartition = "active";
    private readonly PipelineTables _tables;
    private readonly ActivityCatalog _activities;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InProcessRunnerOptions _options;
    private readonly ConcurrentDictionary<string, Task> _background = new(StringComparer.Ordinal);

    public InProcessOrchestrationRunner(
        PipelineTables tables, ActivityCatalog activities, TimeProvider time, InProcessRunnerOptions? options = null, ILogger<InProcessOrchestrationRunner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(time);
        _tables = tables;
        _activities = activities;
        _time = time;
        _options = options ?? new InProcessRunnerOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised after an activity's result is stored (tests use it to interrupt a run at a chosen stage).</summary>
    public event EventHandler<RecordedActivity>? ActivityRecorded;

    /// <summary>
    /// Registers an instance without running it. Started when the id is new or its instance is terminal; AlreadyRunning
    /// when it is pending or running. Two concurrent calls for one id start it once (insert-if-absent, then ETag).
    /// </summary>
    public async Task<RunStartResult> RegisterAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RunInstanceIds.Validate(instanceId);
        _ = RunKinds.OrchestrationOf(kind);
        var now = _time.GetUtcNow();
        var instance = new RunInstance
        {
            InstanceId = instanceId,
            Kind = kind,
            Request = request with { RunId = instanceId },
            Status = RunStatuses.Pending,
            Generation = 1,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        if (!await _tables.Instances.TryAddAsync(InstancePartition, instanceId, instance, cancellationToken))
        {
            var existing = await _tables.Instances.GetAsync<RunInstance>(InstancePartition, instanceId, cancellationToken);
            if (existing is null || !RunStatuses.IsTerminal(existing.Value.Status))
            {
                return new RunStartResult(RunStartOutcome.AlreadyRunning, instanceId, $"Instance {instanceId} is {existing?.Value.Status ?? "starting"}.");
            }

            instance = instance with { Generation = existing.Value.Generation + 1 };
            if (!await _tables.Instances.TryReplaceAsync(InstancePartition, instanceId, instance, existing.ETag, cancellationToken))
            {
                return new RunStartResult(RunStartOutcome.AlreadyRunning, instanceId, $"Instance {instanceId} was started concurrently.");
            }
        }

        await _tables.Instances.UpsertAsync(ActivePartition, kind + "_" + instanceId, instanceId, cancellationToken);
        return new RunStartResult(RunStartOutcome.Started, instanceId, $"Instance {instanceId} scheduled.");
    }

    /// <summary>Registers and runs to the end (or resumes, if it was interrupted); returns the stored instance.</summary>
    public async Task<(RunStartResult Start, RunInstance? Instance)> StartAndRunAsync(
        string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
    {
        var start = await RegisterAsync(kind, instanceId, request, cancellationToken);
        return start.Outcome == RunStartOutcome.Started
            ? (start, await RunAsync(instanceId, cancellationToken))
            : (start, await GetInstanceAsync(instanceId, cancellationToken));
    }

    /// <summary>
    /// Runs or resumes an instance: completed activities are replayed from the store, the rest executed and recorded.
    /// A terminal instance is returned as it is. Cancellation leaves it resumable.
    /// </summary>
    public async Task<RunInstance> RunAsync(string instanceId, CancellationToken cancellationToken)
    {
        var entry = await _tables.Instances.GetAsync<RunInstance>(InstancePartition, instanceId, cancellationToken)
            ?? throw new InvalidOperationException($"No run instance '{instanceId}'.");
        var instance = entry.Value;
        if (RunStatuses.IsTerminal(instance.Status))
        {
            return instance;
        }

        instance = instance with { Status = RunStatuses.Running, UpdatedUtc = _time.GetUtcNow() };
        await _tables.Instances.UpsertAsync(InstancePartition, instanceId, instance, cancellationToken);
        var history = await LoadHistoryAsync(instance, cancellationToken);
        var context = new Context(this, instance, history, cancellationToken);
        try
        {
            var journal = instance.Kind == RunKinds.Manage
                ? await ManagePositionsOrchestration.RunAsync(context, instance.Request)
                : await EntryOrchestration.RunAsync(context, instance.Request);
            instance = instance with { Status = RunStatuses.Completed, Output = journal, UpdatedUtc = _time.GetUtcNow() };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Run {InstanceId} interrupted after {Count} recorded activities; it can be resumed.", instanceId, context.Sequence);
            throw;
        }
        catch (Exception e) when (e is ActivityFailedException or InvalidOperationException or JsonException)
        {
            _logger.LogError(e, "Run {InstanceId} failed.", instanceId);
            instance = instance with { Status = RunStatuses.Failed, Error = e.Message, UpdatedUtc = _time.GetUtcNow() };
        }

        await _tables.Instances.UpsertAsync(InstancePartition, instanceId, instance, CancellationToken.None);
        await _tables.Instances.DeleteAsync(ActivePartition, instance.Kind + "_" + instanceId, CancellationToken.None);
        return instance;
    }

    /// <summary>The stored instance, or null.</summary>
    public async Task<RunInstance?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken) =>
        (await _tables.Instances.GetAsync<RunInstance>(InstancePartition, instanceId, cancellationToken))?.Value;

    /// <summary>The recorded activity results of the instance's current generation, in order.</summary>
    public async Task<IReadOnlyList<RecordedActivity>> GetActivityLogAsync(string instanceId, CancellationToken cancellationToken)
    {
        var instance = await GetInstanceAsync(instanceId, cancellationToken);
        return instance is null ? [] : await LoadHistoryAsync(instance, cancellationToken);
    }

    /// <summary>Starts in the background (the HTTP API's manual runs); see <see cref="WaitForBackgroundRunsAsync"/>.</summary>
    public async Task<RunStartResult> StartAsync(string kind, string instanceId, RunRequest request, CancellationToken cancellationToken)
    {
        var start = await RegisterAsync(kind, instanceId, request, cancellationToken);
        if (start.Outcome == RunStartOutcome.Started)
        {
            var task = Task.Run(() => RunAsync(instanceId, CancellationToken.None), CancellationToken.None);
            _background[instanceId] = task;
            _ = task.ContinueWith(t => _background.TryRemove(new KeyValuePair<string, Task>(instanceId, t)), TaskScheduler.Default);
        }

        return start;
    }

    /// <summary>Waits for runs started by <see cref="StartAsync"/>.</summary>
    public Task WaitForBackgroundRunsAsync() => Task.WhenAll(_background.Values.ToArray());

    public async Task<RunStatusView?> GetStatusAsync(string instanceId, CancellationToken cancellationToken)
    {
        var entry = await _tables.Instances.GetAsync<RunInstance>(InstancePartition, instanceId, cancellationToken);
        if (entry is null)
        {
            return null;
        }

        var instance = entry.Value;
        var history = await HistoryEntriesAsync(instance, cancellationToken);
        var abandoned = RunStatuses.IsTerminal(instance.Status) || _background.ContainsKey(instanceId) ? null : AbandonedFor(entry, history);
        return new RunStatusView
        {
            Note = abandoned is { } quiet
                ? string.Create(CultureInfo.InvariantCulture,
                    $"no progress for {quiet.TotalMinutes:0} min: nobody seems to be executing this run (interrupted?); it no longer blocks new runs; 'trading run --resume {instanceId}' continues it")
                : null,
            InstanceId = instance.InstanceId,
            Kind = instance.Kind,
            Status = instance.Status,
            CreatedUtc = instance.CreatedUtc,
            LastUpdatedUtc = instance.UpdatedUtc,
            Error = instance.Error,
            CompletedActivities = history.Select(h => h.Value).OrderBy(a => a.Sequence).Select(a => a.Name).ToArray(),
        };
    }

    public async Task<IReadOnlyList<string>> ActiveInstancesAsync(string kind, CancellationToken cancellationToken)
    {
        var active = await _tables.Instances.QueryPartitionAsync<string>(ActivePartition, null, cancellationToken);
        var ids = new List<string>();
        foreach (var id in active.Where(a => a.RowKey.StartsWith(kind + "_", StringComparison.Ordinal)).Select(a => a.Value))
        {
            var entry = await _tables.Instances.GetAsync<RunInstance>(InstancePartition, id, cancellationToken);
            if (entry is not null && !RunStatuses.IsTerminal(entry.Value.Status)
                && (_background.ContainsKey(id) || AbandonedFor(entry, await HistoryEntriesAsync(entry.Value, cancellationToken)) is null))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>
    /// How long an unfinished run has gone without a stored change, when that is longer than
    /// <see cref="InProcessRunnerOptions.AbandonedAfter"/> (nobody is executing it); null while it looks alive.
    /// </summary>
    private TimeSpan? AbandonedFor(StateEntry<RunInstance> entry, IReadOnlyList<StateEntry<RecordedActivity>> history)
    {
        var touched = history.Select(h => h.Timestamp).Append(entry.Timestamp).Max();
        if (touched is not { } last)
        {
            return null;
        }

        var quiet = _options.WallClock.GetUtcNow() - last;
        return quiet > _options.AbandonedAfter ? quiet : null;
    }

    private static string HistoryPartition(RunInstance instance) =>
        string.Create(CultureInfo.InvariantCulture, $"{instance.InstanceId}_g{instance.Generation}");

    private Task<IReadOnlyList<StateEntry<RecordedActivity>>> HistoryEntriesAsync(RunInstance instance, CancellationToken cancellationToken) =>
        _tables.Activities.QueryPartitionAsync<RecordedActivity>(HistoryPartition(instance), null, cancellationToken);

    private async Task<List<RecordedActivity>> LoadHistoryAsync(RunInstance instance, CancellationToken cancellationToken) =>
        (await HistoryEntriesAsync(instance, cancellationToken)).Select(e => e.Value).OrderBy(a => a.Sequence).ToList();

    private async Task<string> ExecuteWithRetryAsync(string name, string inputJson, ActivityRetry retry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _activities.InvokeAsync(name, inputJson, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= retry.MaxAttempts)
                {
                    throw new ActivityFailedException(name, $"{e.GetType().Name}: {e.Message} (after {attempt} attempt(s))", e);
                }

                _logger.LogWarning("Activity {Activity} attempt {Attempt} failed ({Error}); retrying.", name, attempt, e.Message);
                var delay = TimeSpan.FromTicks((long)(retry.DelayBefore(attempt + 1).Ticks * _options.RetryDelayScale));
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, cancellationToken);
                }
            }
        }
    }

    /// <summary>The runner's orchestration context: replays recorded results, then executes and records.</summary>
    private sealed class Context : IOrchestrationContext
    {
        private readonly InProcessOrchestrationRunner _runner;
        private readonly RunInstance _instance;
        private readonly List<RecordedActivity> _history;
        private readonly CancellationToken _cancellationToken;
        private readonly ReplaySafeLogger _logger;

        public Context(InProcessOrchestrationRunner runner, RunInstance instance, List<RecordedActivity> history, CancellationToken cancellationToken)
        {
            _runner = runner;
            _instance = instance;
            _history = history;
            _cancellationToken = cancellationToken;
            CurrentUtcDateTime = instance.CreatedUtc.UtcDateTime;
            _logger = new ReplaySafeLogger(runner._logger, () => Sequence < _history.Count);
        }

        public int Sequence { get; private set; }

        public string InstanceId => _instance.InstanceId;

        public DateTime CurrentUtcDateTime { get; private set; }

        public ILogger ReplaySafeLogger => _logger;

        public async Task<TOut> CallActivityAsync<TOut>(string name, object input, ActivityRetry retry)
        {
            ArgumentNullException.ThrowIfNull(retry);
            _cancellationToken.ThrowIfCancellationRequested();
            var inputJson = JsonSerializer.Serialize(input, input.GetType(), StateJson.Options);
            var sequence = Sequence++;
            RecordedActivity record;
            if (sequence < _history.Count)
            {
                record = _history[sequence];
                if (record.Name != name)
                {
                    throw new InvalidOperationException(
                        $"Non-deterministic orchestration {InstanceId}: activity #{sequence} was {record.Name} when recorded, now {name}.");
                }
            }
            else
            {
                var outputJson = await _runner.ExecuteWithRetryAsync(name, inputJson, retry, _cancellationToken);
                record = new RecordedActivity
                {
                    Sequence = sequence,
                    Name = name,
                    InputJson = inputJson,
                    OutputJson = outputJson,
                    CompletedUtc = _runner._time.GetUtcNow(),
                };
                await _runner._tables.Activities.UpsertAsync(
                    HistoryPartition(_instance), sequence.ToString("D4", CultureInfo.InvariantCulture), record, CancellationToken.None);
                _history.Add(record);
                _runner.ActivityRecorded?.Invoke(_runner, record);
            }

            CurrentUtcDateTime = record.CompletedUtc.UtcDateTime;
            return JsonSerializer.Deserialize<TOut>(record.OutputJson, StateJson.Options)
                ?? throw new InvalidOperationException($"Activity {name} returned no result.");
        }
    }
}

/// <summary>Forwards to a logger only when not replaying.</summary>
internal sealed class ReplaySafeLogger : ILogger
{
    private readonly ILogger _inner;
    private readonly Func<bool> _isReplaying;

    public ReplaySafeLogger(ILogger inner, Func<bool> isReplaying)
    {
        _inner = inner;
        _isReplaying = isReplaying;
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => !_isReplaying() && _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!_isReplaying())
        {
            _inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
