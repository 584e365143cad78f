using Microsoft.DurableTask.Client;

namespace TradingFunctions.Tests.Support;

/// <summary>Waiting on the engine with a hang guard (a stuck orchestration fails the test instead of hanging the run).</summary>
public static class Engine
{
    /// <summary>Generous: only a broken run comes near it; no assertion is made on elapsed time.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    public static async Task<OrchestrationMetadata> CompletionAsync(DurableTaskClient client, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var guard = new CancellationTokenSource(HangGuard);
        return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, guard.Token);
    }

    /// <summary>Polls the instance until <paramref name="condition"/> holds (state changes are not pushed to clients).</summary>
    public static async Task<OrchestrationMetadata> UntilAsync(DurableTaskClient client, string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(condition);
        using var guard = new CancellationTokenSource(HangGuard);
        while (true)
        {
            var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, guard.Token);
            if (metadata is not null && condition(metadata))
            {
                return metadata;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), guard.Token);
        }
    }
}
