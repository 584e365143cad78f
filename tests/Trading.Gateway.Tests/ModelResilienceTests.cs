using Polly;
using Polly.CircuitBreaker;
using Trading.Gateway.Calls;
using Trading.Gateway.Tests.Support;

namespace Trading.Gateway.Tests;

public sealed class ModelResilienceTests
{
    [Fact]
    public void Concurrent_first_calls_on_a_model_all_run_and_share_its_one_circuit()
    {
        // A council's seats and a shadow can reach a model nobody has called yet at the same instant: each must get its answer
        // (once, a second pipeline built for the same model refused its circuit's state and the call failed).
        const int callers = 8;
        for (var round = 0; round < 200; round++)
        {
            var routing = GatewayHarness.FastRouting();
            routing.CircuitFailureThreshold = callers;
            using var resilience = new ModelResilience(routing, TimeProvider.System);
            using var start = new Barrier(callers);
            var answers = new Attempt?[callers];
            var errors = new Exception?[callers];
            var threads = Enumerable.Range(0, callers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    answers[i] = resilience.ExecuteAsync<Attempt>(
                        "kimi-k2", _ => ValueTask.FromResult(Outcome.FromResult(new Attempt(FailureClass.ServerError))), 1, CancellationToken.None)
                        .GetAwaiter().GetResult();
                }
                catch (InvalidOperationException e)
                {
                    errors[i] = e;
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            Assert.All(errors, e => Assert.Null(e));
            Assert.All(answers, a => Assert.Equal(FailureClass.ServerError, a?.Failure));
            // Every failure went to the circuit the gateway reads: the threshold's worth of them opened it.
            Assert.Equal(CircuitState.Open, resilience.CircuitOf("kimi-k2"));
        }
    }

    private sealed record Attempt(FailureClass Failure) : IModelAttempt
    {
        public TimeSpan? RetryAfter => null;
    }
}
