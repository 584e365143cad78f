using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Trading.Hosting.Scheduling;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>Starting the app's orchestrations the way its launcher does, and reading their journals.</summary>
internal static class RunSupport
{
    public const string EntryId = "entry-2026-11-23T15:00Z";

    public static async Task<RunJournal> RunAsync(AppWorker worker, string orchestration, string instanceId)
    {
        await worker.Client.ScheduleNewOrchestrationInstanceAsync(
            orchestration, new RunRequest { RunId = instanceId, Trigger = RunTriggers.Timer }, new StartOrchestrationOptions { InstanceId = instanceId });
        var done = await Engine.CompletionAsync(worker.Client, instanceId);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{instanceId}: {done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
        return done.ReadOutputAs<RunJournal>()!;
    }

    public static string ManageId(DateTimeOffset now) => RunInstanceIds.ForSlot(Trading.Hosting.RunKinds.Manage, now);
}
