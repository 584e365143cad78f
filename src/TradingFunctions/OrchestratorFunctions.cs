using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;

namespace TradingFunctions;

/// <summary>The two orchestrators: thin shells over the shared, tested orchestration code.</summary>
public static class OrchestratorFunctions
{
    [Function(ActivityNames.EntryOrchestration)]
    public static Task<RunJournal> EntryAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        EntryOrchestration.RunAsync(new DurableOrchestrationContextAdapter(context), context.GetInput<RunRequest>() ?? new RunRequest());

    [Function(ActivityNames.ManagePositionsOrchestration)]
    public static Task<RunJournal> ManagePositionsAsync([OrchestrationTrigger] TaskOrchestrationContext context) =>
        ManagePositionsOrchestration.RunAsync(new DurableOrchestrationContextAdapter(context), context.GetInput<RunRequest>() ?? new RunRequest());
}
