using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TradingFunctions.Tests.Support;

/// <summary>
/// The engine's orchestration context, passed through to the app's orchestrator unchanged except that each activity call
/// goes through <see cref="Intercept"/> (to observe inputs and outputs, or to hold the orchestration at a chosen point).
/// </summary>
public sealed class InterceptingContext : TaskOrchestrationContext
{
    private readonly TaskOrchestrationContext _inner;

    public InterceptingContext(TaskOrchestrationContext inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>
    /// Given the context, activity name and input, and the call to the engine, returns the activity's result. Null passes through.
    /// </summary>
    public Func<TaskOrchestrationContext, string, object?, Func<Task<object?>>, Task<object?>>? Intercept { get; init; }

    public override TaskName Name => _inner.Name;

    public override string InstanceId => _inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => _inner.Parent;

    public override DateTime CurrentUtcDateTime => _inner.CurrentUtcDateTime;

    public override bool IsReplaying => _inner.IsReplaying;

    public override TaskOrchestrationEntityFeature Entities => _inner.Entities;

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    public override T? GetInput<T>()
        where T : default => _inner.GetInput<T>();

    public override async Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        if (Intercept is null)
        {
            return await _inner.CallActivityAsync<TResult>(name, input, options);
        }

        return (TResult)(await Intercept(_inner, name.Name, input, async () => await _inner.CallActivityAsync<TResult>(name, input, options)))!;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => _inner.CreateTimer(fireAt, cancellationToken);

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        _inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    public override void SendEvent(string instanceId, string eventName, object payload) => _inner.SendEvent(instanceId, eventName, payload);

    public override void SetCustomStatus(object? customStatus) => _inner.SetCustomStatus(customStatus);

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        _inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        _inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override Guid NewGuid() => _inner.NewGuid();
}
