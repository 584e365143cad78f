using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Trading.Gateway.Configuration;

namespace Trading.Gateway.Calls;

/// <summary>What the resilience pipeline needs to know about one attempt on a model.</summary>
public interface IModelAttempt
{
    /// <summary>What went wrong (<see cref="FailureClass.None"/> when nothing did).</summary>
    FailureClass Failure { get; }

    /// <summary>How long the gateway asked us to wait (Retry-After), when it said.</summary>
    TimeSpan? RetryAfter { get; }
}

/// <summary>
/// Per-model resilience on Polly, one pipeline per model from a registry built from the routing options: retries of the
/// retryable failure classes (Retry-After honoured up to <see cref="RoutingOptions.MaxBackoffMilliseconds"/>, otherwise
/// exponential backoff with seeded jitter, capped), a circuit breaker of its own per model, and a timeout per attempt. The
/// fallback chain, budget checks between models and failure classes stay the gateway's: they decide where a call goes
/// next, this only decides how hard to try one model.
/// </summary>
public sealed class ModelResilience : IDisposable
{
    // One execution's bookkeeping: how many attempts the whole call has left (retries on one model never exceed the call's
    // total) and the last answer (returned when the circuit refuses a retry).
    private static readonly ResiliencePropertyKey<Execution> ExecutionKey = new("trading.model-execution");

    private readonly RoutingOptions _routing;
    private readonly TimeProvider _time;
    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly ConcurrentDictionary<string, CircuitBreakerStateProvider> _circuits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Random _jitter;
    private readonly Lock _jitterGate = new();
    private readonly Lock _buildGate = new();

    /// <summary>Creates the pipelines' factory; throws naming the first invalid routing setting.</summary>
    public ModelResilience(RoutingOptions routing, TimeProvider time)
    {
        _routing = routing ?? throw new ArgumentNullException(nameof(routing));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        var errors = routing.Validate();
        if (errors.Count > 0)
            throw new GatewayConfigurationException("Invalid routing settings: " + string.Join("; ", errors));
        _jitter = new Random(routing.JitterSeed);
    }

    /// <summary>Disposes the pipelines.</summary>
    public void Dispose() => _registry.Dispose();

    /// <summary>The state of <paramref name="model"/>'s circuit (closed for a model not called yet).</summary>
    public CircuitState CircuitOf(string model) =>
        _circuits.TryGetValue(model ?? string.Empty, out var circuit) ? circuit.CircuitState : CircuitState.Closed;

    /// <summary>
    /// Runs <paramref name="attempt"/> on <paramref name="model"/> with its pipeline: at most
    /// <see cref="RoutingOptions.MaxAttemptsPerModel"/> attempts and never more than <paramref name="attemptsLeft"/>.
    /// Returns the last attempt's outcome, or null when the model's circuit refused the call before any attempt was made
    /// on it (an attempt refused later ends the retries with the outcome before it). Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> ends a wait between attempts.
    /// The attempt answers with Polly's <see cref="Outcome{TResult}"/> so that the pipeline awaits it directly: wrapping a
    /// plain result would add an async layer (a state machine and a resumption) to every attempt.
    /// </summary>
    public async Task<T?> ExecuteAsync<T>(string model, Func<CancellationToken, ValueTask<Outcome<T>>> attempt, int attemptsLeft, CancellationToken cancellationToken)
        where T : class, IModelAttempt
    {
        ArgumentNullException.ThrowIfNull(attempt);
        // The lookup first: the builder callback (a closure) is only needed the first time a model is called. That first
        // build is serialised: the registry may run the callback once per racing caller, and a model's one circuit state
        // can join only one pipeline (a second build threw, failing a council seat or a shadow that raced the first).
        if (!_registry.TryGetPipeline<T>(model, out var pipeline))
        {
            lock (_buildGate)
                pipeline = _registry.GetOrAddPipeline<T>(model, (builder, _) => Build(builder, model));
        }
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        var execution = new Execution(attemptsLeft);
        context.Properties.Set(ExecutionKey, execution);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(static (ctx, run) => run(ctx.CancellationToken), context, attempt)
                .ConfigureAwait(false);
            if (outcome.Exception is BrokenCircuitException)
                return (T?)execution.Last;
            outcome.ThrowIfException();
            return outcome.Result;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Build<T>(ResiliencePipelineBuilder<T> builder, string model)
        where T : class, IModelAttempt
    {
        builder.TimeProvider = _time;
        if (_routing.MaxAttemptsPerModel > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<T>
            {
                MaxRetryAttempts = _routing.MaxAttemptsPerModel - 1,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.AttemptNumber, args.Context)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber, args.Outcome.Result?.RetryAfter)),
            });
        }

        var circuit = _circuits.GetOrAdd(model, _ => new CircuitBreakerStateProvider());
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<T>
        {
            // The model misbehaved CircuitFailureThreshold times in a row within the window: leave it alone for the cooldown,
            // then let one trial call through.
            FailureRatio = 1.0,
            MinimumThroughput = _routing.CircuitFailureThreshold,
            SamplingDuration = TimeSpan.FromSeconds(_routing.CircuitWindowSeconds),
            BreakDuration = TimeSpan.FromSeconds(_routing.CircuitCooldownSeconds),
            ShouldHandle = args => ValueTask.FromResult(Judge(args.Outcome, args.Context)),
            StateProvider = circuit,
        });
        builder.AddTimeout(TimeSpan.FromSeconds(_routing.AttemptTimeoutSeconds));
    }

    private bool ShouldRetry<T>(Outcome<T> outcome, int attemptNumber, ResilienceContext context)
        where T : class, IModelAttempt
    {
        if (outcome.Result is not { } result || !result.Failure.IsRetryable())
            return false; // exceptions (an open circuit, cancellation) and final answers end the retries
        if (context.Properties.TryGetValue(ExecutionKey, out var execution) && attemptNumber + 1 >= execution.AttemptsLeft)
            return false;
        // A Retry-After longer than we are willing to wait moves the call on to the next model instead.
        return result.RetryAfter is not { } wait || wait <= TimeSpan.FromMilliseconds(_routing.MaxBackoffMilliseconds);
    }

    // The circuit breaker sees every attempt's outcome (it sits inside the retries): the place to keep the last answer.
    private static bool Judge<T>(Outcome<T> outcome, ResilienceContext context)
        where T : class, IModelAttempt
    {
        if (outcome.Result is not { } result)
            return false;
        if (context.Properties.TryGetValue(ExecutionKey, out var execution))
            execution.Last = result;
        return result.Failure.CountsAgainstModel();
    }

    /// <summary>The wait before retry <paramref name="attemptNumber"/> + 1: the server's Retry-After, else exponential with jitter.</summary>
    private TimeSpan Delay(int attemptNumber, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked)
            return asked;
        var baseMs = Math.Min(_routing.MaxBackoffMilliseconds, _routing.InitialBackoffMilliseconds * Math.Pow(2, attemptNumber));
        double factor;
        lock (_jitterGate)
            factor = 0.5 + (_jitter.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(baseMs * factor);
    }

    private sealed class Execution(int attemptsLeft)
    {
        public int AttemptsLeft { get; } = attemptsLeft;

        public IModelAttempt? Last { get; set; }
    }
}
