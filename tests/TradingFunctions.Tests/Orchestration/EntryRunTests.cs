using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Trading.Pipeline.Journal;
using Trading.Pipeline.Orchestration;
using Trading.Pipeline.State;
using TradingFunctions.Tests.Support;

namespace TradingFunctions.Tests.Orchestration;

/// <summary>The app's entry orchestrator and activity functions on the Durable Task engine.</summary>
public sealed class EntryRunTests
{
    private const string InstanceId = "entry-2026-11-23T15:00Z";

    private static readonly string[] AllEntryStages =
    [
        ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory,
        ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.ConveneCouncil, ActivityNames.DecideExecution, ActivityNames.PlaceOrder,
    ];

    private static readonly string[] AllEntryActivities =
    [
        ActivityNames.MarketSnapshot, ActivityNames.AnalyzeMarket, ActivityNames.SelectStrategy, ActivityNames.RecallTradeMemory,
        ActivityNames.RetrieveLessons, ActivityNames.AssessRisk, ActivityNames.SeatCouncil, ActivityNames.CastVote, ActivityNames.CastVote,
        ActivityNames.CastVote, ActivityNames.DecideExecution, ActivityNames.PlaceOrder, ActivityNames.RecordRun,
    ];

    [Fact]
    public async Task An_entry_run_journals_every_stage_places_one_order_and_every_payload_round_trips_through_the_engine()
    {
        using var app = new TestApp();
        await using var engine = await DurableEngine.StartAsync();
        // Orchestrator side: what the orchestrator sent and received. Activity side: what the function received and returned.
        var sent = new ConcurrentQueue<(string Name, object? Input, object? Output)>();
        var received = new ConcurrentQueue<(string Name, object? Input)>();
        var seen = new ConcurrentQueue<(string Name, object? Output)>();
        var hooks = new FunctionHooks
        {
            ActivityStarting = (name, input) => received.Enqueue((name, input)),
            ActivityCompleted = (name, output) => seen.Enqueue((name, output)),
            WrapContext = context => new InterceptingContext(context)
            {
                Intercept = async (ctx, name, input, call) =>
                {
                    var output = await call();
                    if (!ctx.IsReplaying)
                    {
                        sent.Enqueue((name, input, output));
                    }

                    return output;
                },
            },
        };
        await using var worker = await engine.StartWorkerAsync(app, hooks);

        await worker.Client.ScheduleNewOrchestrationInstanceAsync(
            ActivityNames.EntryOrchestration, new RunRequest { RunId = InstanceId, Trigger = RunTriggers.Timer }, new StartOrchestrationOptions { InstanceId = InstanceId });
        var done = await Engine.CompletionAsync(worker.Client, InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var journal = done.ReadOutputAs<RunJournal>()!;
        Assert.True(journal.EndReason is RunEndReasons.Traded or RunEndReasons.OrderWorking, $"{journal.EndReason}: {journal.EndDetail}");
        Assert.Equal(AllEntryStages, journal.Stages.Select(s => s.Stage).ToArray());
        Assert.Equal("ic-" + InstanceId, journal.ClientOrderId);
        Assert.NotNull(journal.OrderId);
        Assert.Equal(["ic-" + InstanceId], app.Broker.Accepted.ToArray());
        Assert.Equal(1, app.Broker.PlaceAttempts);

        // The journal the RecordRun activity stored is the one the orchestration returned.
        var stored = await worker.Services.GetRequiredService<RunJournalStore>().GetAsync(InstanceId, CancellationToken.None);
        Assert.Equal(Json(journal), Json(stored));

        // Every activity ran once (a vote per council seat), in order, and each payload is the same on both sides of the engine;
        // the seats vote in parallel, so each call is matched to its delivery by name and payload rather than by position.
        Assert.Equal(AllEntryActivities, sent.Select(s => s.Name).ToArray());
        Assert.Equal(sent.Select(s => s.Name).Order(), seen.Select(s => s.Name).Order());
        Assert.Equal(sent.Select(s => s.Name).Order(), received.Select(s => s.Name).Order());
        foreach (var (name, input, output) in sent)
        {
            var delivered = received.Where(r => r.Name == name).Select(r => r.Input).ToList();
            Assert.All(delivered, d => Assert.Equal(input!.GetType(), d!.GetType()));
            Assert.True(delivered.Any(d => Json(d) == Json(input)), $"{name}: the input changed crossing the engine:\n{Json(input)}");
            Assert.True(seen.Any(p => p.Name == name && Json(p.Output) == Json(output)), $"{name}: the output changed crossing the engine:\n{Json(output)}");
        }

        // The custom status is the run's progress (what GET /api/runs/{id} shows): every stage done, none current.
        var progress = done.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal([.. AllEntryStages, ActivityNames.RecordRun], progress.StagesDone);
        Assert.Null(progress.CurrentStage);
        Assert.Equal((3, 3), (progress.CouncilSeats, progress.CouncilVotesCast));

        // Payloads crossed the engine as the app's JSON (web defaults: camelCase), through the worker's serializer.
        Assert.Contains("\"runId\":", done.SerializedInput, StringComparison.Ordinal);
        Assert.Contains("\"endReason\":", done.SerializedOutput, StringComparison.Ordinal);
        Assert.True(worker.Converter.SerializeCount > AllEntryStages.Length);
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value, value?.GetType() ?? typeof(object), TradingFunctionsApp.PayloadJsonOptions);
}
